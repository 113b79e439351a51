"""The needs assessment's first questions; later ones are added in the admin, without a deploy.

Frozen here (not imported from the app) so that this migration seeds the same rows forever.
Each option: (slug, English, French, Spanish, extra), extra naming its category, session kind,
weekday or first hour.
"""

from django.db import migrations

CATEGORY_SLUGS = [
    ("work-based-learning", "Work-based learning", "Apprentissage en milieu de travail", "Aprendizaje en el trabajo"),
    ("rpl-certification", "RPL and certification", "Reconnaissance des acquis et certification", "Reconocimiento de aprendizajes previos y certificación"),
    ("career-guidance", "Career guidance and employment services", "Orientation professionnelle et services de l'emploi", "Orientación profesional y servicios de empleo"),
    ("research-data", "Research, data and analysis", "Recherche, données et analyse", "Investigación, datos y análisis"),
    ("skills-ecosystem", "Skills ecosystem", "Écosystème des compétences", "Ecosistema de competencias"),
    ("training-delivery", "Training delivery and assessment", "Dispense de la formation et évaluation", "Impartición y evaluación de la formación"),
    ("social-inclusion", "Social inclusion and access to training", "Inclusion sociale et accès à la formation", "Inclusión social y acceso a la formación"),
    ("entrepreneurship", "Entrepreneurship and self-employment", "Entrepreneuriat et travail indépendant", "Emprendimiento y trabajo por cuenta propia"),
    ("core-life-skills", "Core skills and life skills", "Compétences de base et compétences de vie", "Competencias básicas y para la vida"),
]


def _by_category(prefix=""):
    return [
        (f"{prefix}{slug}", en, fr, es, {"category": slug}) for slug, en, fr, es in CATEGORY_SLUGS
    ]


QUESTIONS = [
    {
        "slug": "needs",
        "section": "needs",
        "text": (
            "What support does your project need most?",
            "De quel soutien votre projet a-t-il le plus besoin ?",
            "¿Qué apoyo necesita más su proyecto?",
        ),
        "options": [
            ("funding", "Finding funding", "Trouver des financements", "Encontrar financiación", {}),
            ("proposal-coaching", "Coaching on writing proposals", "Accompagnement à la rédaction de propositions", "Asesoría para redactar propuestas", {"session_kind": "workshop"}),
            ("evaluator-feedback", "Feedback from evaluators", "Retours d'évaluateurs", "Comentarios de evaluadores", {"session_kind": "feedback"}),
            ("partners", "Finding partners", "Trouver des partenaires", "Encontrar socios", {}),
            ("peer-exchange", "Exchanging with peers", "Échanger avec des pairs", "Intercambiar con pares", {"session_kind": "peer-circle"}),
            ("mentoring", "One-to-one mentoring", "Mentorat individuel", "Mentoría individual", {"session_kind": "one-to-one"}),
            ("visibility", "Visibility for our project", "Visibilité pour notre projet", "Visibilidad para nuestro proyecto", {}),
            ("data", "Data and evidence", "Données et preuves", "Datos y evidencia", {"category": "research-data"}),
        ],
    },
    {
        "slug": "challenges",
        "section": "challenges",
        "text": (
            "What are your main challenges?",
            "Quelles sont vos principales difficultés ?",
            "¿Cuáles son sus principales desafíos?",
        ),
        "options": [
            ("securing-funding", "Securing funding", "Obtenir des financements", "Conseguir financiación", {}),
            ("scaling", "Scaling up", "Passer à l'échelle", "Ampliar la escala", {"category": "skills-ecosystem"}),
            ("employers", "Engaging employers", "Mobiliser les employeurs", "Involucrar a los empleadores", {"category": "work-based-learning"}),
            ("reaching-people", "Reaching disadvantaged people", "Atteindre les personnes défavorisées", "Llegar a las personas desfavorecidas", {"category": "social-inclusion"}),
            ("measuring-impact", "Measuring impact", "Mesurer l'impact", "Medir el impacto", {"category": "research-data"}),
            ("digital-delivery", "Delivering training online", "Former en ligne", "Impartir formación en línea", {"category": "training-delivery"}),
            ("recognition", "Getting skills recognised", "Faire reconnaître les compétences", "Lograr el reconocimiento de las competencias", {"category": "rpl-certification"}),
        ],
    },
    {
        "slug": "topics",
        "section": "topics",
        "text": (
            "Which workshop topics would you attend?",
            "À quels ateliers participeriez-vous ?",
            "¿A qué talleres asistiría?",
        ),
        "options": [
            ("writing-submission", "What a good submission is", "Ce qu'est une bonne proposition", "Qué es una buena propuesta", {"session_kind": "workshop"}),
            ("budgeting", "Budgeting a project", "Établir le budget d'un projet", "Presupuestar un proyecto", {"session_kind": "peer-circle"}),
            ("presenting", "Presenting a project", "Présenter un projet", "Presentar un proyecto", {"session_kind": "peer-circle"}),
            ("country-experiences", "Country experiences", "Expériences de pays", "Experiencias de países", {"session_kind": "peer-circle"}),
            *_by_category(),
        ],
    },
    {
        "slug": "languages",
        "section": "languages",
        "text": (
            "In which languages can you take part in sessions?",
            "Dans quelles langues pouvez-vous participer aux sessions ?",
            "¿En qué idiomas puede participar en las sesiones?",
        ),
        "options": [
            ("en", "English", "Anglais", "Inglés", {}),
            ("fr", "French", "Français", "Francés", {}),
            ("es", "Spanish", "Espagnol", "Español", {}),
            ("ar", "Arabic", "Arabe", "Árabe", {}),
            ("pt", "Portuguese", "Portugais", "Portugués", {}),
        ],
    },
    {
        "slug": "days",
        "section": "days",
        "text": (
            "Which days suit you for sessions?",
            "Quels jours vous conviennent pour les sessions ?",
            "¿Qué días le convienen para las sesiones?",
        ),
        "options": [
            ("monday", "Monday", "Lundi", "Lunes", {"weekday": 1}),
            ("tuesday", "Tuesday", "Mardi", "Martes", {"weekday": 2}),
            ("wednesday", "Wednesday", "Mercredi", "Miércoles", {"weekday": 3}),
            ("thursday", "Thursday", "Jeudi", "Jueves", {"weekday": 4}),
            ("friday", "Friday", "Vendredi", "Viernes", {"weekday": 5}),
            ("saturday", "Saturday", "Samedi", "Sábado", {"weekday": 6}),
            ("sunday", "Sunday", "Dimanche", "Domingo", {"weekday": 7}),
        ],
    },
    {
        "slug": "times",
        "section": "times",
        "text": (
            "Which times of day suit you (in your time zone)?",
            "Quels moments de la journée vous conviennent (dans votre fuseau horaire) ?",
            "¿Qué momentos del día le convienen (en su zona horaria)?",
        ),
        "options": [
            ("morning", "Morning (8:00–12:00)", "Matin (8 h–12 h)", "Mañana (8:00–12:00)", {"start_hour": 8}),
            ("afternoon", "Afternoon (12:00–17:00)", "Après-midi (12 h–17 h)", "Tarde (12:00–17:00)", {"start_hour": 12}),
            ("evening", "Evening (17:00–21:00)", "Soir (17 h–21 h)", "Noche (17:00–21:00)", {"start_hour": 17}),
        ],
    },
    {
        "slug": "offers",
        "section": "offers",
        "text": (
            "What can you offer other members?",
            "Que pouvez-vous offrir aux autres membres ?",
            "¿Qué puede ofrecer a otros miembros?",
        ),
        "options": [
            ("host", "Host a peer-coaching session", "Animer une session entre pairs", "Facilitar una sesión entre pares", {"session_kind": "peer-circle"}),
            ("mentor", "Mentor a member one to one", "Accompagner un membre individuellement", "Ser mentor de un miembro", {"session_kind": "one-to-one"}),
            ("review", "Give feedback on proposals", "Commenter des propositions", "Comentar propuestas", {"session_kind": "feedback"}),
            ("translate", "Translate", "Traduire", "Traducir", {}),
        ],
    },
    {
        "slug": "advice",
        "section": "advice",
        "text": (
            "In which categories can you give technical advice?",
            "Dans quelles catégories pouvez-vous donner des conseils techniques ?",
            "¿En qué categorías puede dar asesoría técnica?",
        ),
        "options": _by_category("advice-"),
    },
    {
        "slug": "comments",
        "section": "comments",
        "kind": "text",
        "text": (
            "Anything else the Core Group should know?",
            "Autre chose que le Core Group devrait savoir ?",
            "¿Algo más que el Core Group deba saber?",
        ),
        "options": [],
    },
]


def seed(apps, schema_editor):
    Question = apps.get_model("members", "NeedsQuestion")
    Option = apps.get_model("members", "NeedsOption")
    Category = apps.get_model("categories", "Category")
    categories = {category.slug: category for category in Category.objects.all()}
    for position, entry in enumerate(QUESTIONS):
        en, fr, es = entry["text"]
        question, _created = Question.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "section": entry["section"],
                "kind": entry.get("kind", "multiple"),
                "position": position * 10,
                "text_en": en,
                "text_fr": fr,
                "text_es": es,
            },
        )
        for index, (slug, label_en, label_fr, label_es, extra) in enumerate(entry["options"]):
            Option.objects.get_or_create(
                question=question,
                slug=slug,
                defaults={
                    "position": index * 10,
                    "label_en": label_en,
                    "label_fr": label_fr,
                    "label_es": label_es,
                    "category": categories.get(extra.get("category")),
                    "session_kind": extra.get("session_kind", ""),
                    "weekday": extra.get("weekday"),
                    "start_hour": extra.get("start_hour"),
                },
            )
    # Profiles claimed before claims were dated: their last change is the best guess.
    Member = apps.get_model("members", "Member")
    for member in Member.objects.filter(imported=True, owner__isnull=False, claimed_at=None):
        Member.objects.filter(pk=member.pk).update(claimed_at=member.updated_at)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_needs_and_invitations"),
        ("categories", "0002_seed_categories"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
