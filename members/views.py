from django.http import HttpResponse


def member_list(request):
    return HttpResponse("members")


def profile_start(request):
    return HttpResponse("start")


def member_detail(request, pk):
    return HttpResponse("member")
