from rest_framework import generics


class MemberListAPIView(generics.ListAPIView):
    pass
