"""Invented members for demos and benchmarks, in the spirit of the 2020 innovation call.

Pure data, no database: ``member_specs(rng, count)`` returns the same list of plain dicts for the
same ``random.Random`` state, which ``manage.py seed_demo`` writes and ``bench/directory.py``
reuses at scale. Every name is made up from the word lists below; none is a real person's.
``seed(rng)`` (called by ``seed_demo`` before the other apps' hooks, so the matching reads them)
adds generated logos, needs answers and an invitation round.
"""

import random
from datetime import timedelta

from django.utils.text import slugify

from categories.definitions import CATEGORIES

from .models import Member, Visibility

CATEGORY_SLUGS = [category["slug"] for category in CATEGORIES]

# code: (name pool, working languages, cities, calling code, time zone)
COUNTRIES = {
    # Africa
    "KE": ("africa-en", ["en", "sw"], ["Nairobi", "Mombasa", "Kisumu"], "254", "Africa/Nairobi"),
    "NG": ("africa-en", ["en", "ig"], ["Lagos", "Abuja", "Enugu"], "234", "Africa/Lagos"),
    "GH": ("africa-en", ["en"], ["Accra", "Kumasi", "Tamale"], "233", "Africa/Accra"),
    "UG": ("africa-en", ["en", "sw"], ["Kampala", "Gulu"], "256", "Africa/Kampala"),
    "TZ": ("africa-en", ["sw", "en"], ["Dar es Salaam", "Arusha"], "255", "Africa/Dar_es_Salaam"),
    "ZA": ("africa-en", ["en", "af"], ["Durban", "Gqeberha"], "27", "Africa/Johannesburg"),
    "ZW": ("africa-en", ["en"], ["Harare", "Bulawayo"], "263", "Africa/Harare"),
    "RW": ("africa-en", ["en", "fr"], ["Kigali", "Huye"], "250", "Africa/Kigali"),
    "SN": ("africa-fr", ["fr"], ["Dakar", "Thiès", "Saint-Louis"], "221", "Africa/Dakar"),
    "CI": ("africa-fr", ["fr"], ["Abidjan", "Bouaké"], "225", "Africa/Abidjan"),
    "CM": ("africa-fr", ["fr", "en"], ["Douala", "Bamenda"], "237", "Africa/Douala"),
    "BF": ("africa-fr", ["fr"], ["Ouagadougou", "Bobo-Dioulasso"], "226", "Africa/Ouagadougou"),
    "MG": ("africa-fr", ["fr"], ["Antananarivo", "Toamasina"], "261", "Indian/Antananarivo"),
    "MA": ("arab", ["fr", "ar"], ["Casablanca", "Tanger", "Agadir"], "212", "Africa/Casablanca"),
    "TN": ("arab", ["fr", "ar"], ["Sfax", "Sousse"], "216", "Africa/Tunis"),
    "EG": ("arab", ["ar", "en"], ["Alexandria", "Assiut"], "20", "Africa/Cairo"),
    # Americas
    "MX": ("hispanic", ["es"], ["Monterrey", "Puebla", "Oaxaca"], "52", "America/Mexico_City"),
    "CO": ("hispanic", ["es"], ["Medellín", "Cali", "Barranquilla"], "57", "America/Bogota"),
    "PE": ("hispanic", ["es"], ["Arequipa", "Cusco", "Trujillo"], "51", "America/Lima"),
    "AR": ("hispanic", ["es"], ["Córdoba", "Rosario"], "54", "America/Argentina/Buenos_Aires"),
    "CL": ("hispanic", ["es"], ["Valparaíso", "Concepción"], "56", "America/Santiago"),
    "GT": ("hispanic", ["es"], ["Quetzaltenango", "Cobán"], "502", "America/Guatemala"),
    "EC": ("hispanic", ["es"], ["Cuenca", "Guayaquil"], "593", "America/Guayaquil"),
    "BR": ("lusophone", ["pt"], ["Recife", "Salvador", "Belém"], "55", "America/Sao_Paulo"),
    "JM": ("anglo", ["en"], ["Kingston", "Montego Bay"], "1", "America/Jamaica"),
    "HT": ("africa-fr", ["fr"], ["Cap-Haïtien", "Jacmel"], "509", "America/Port-au-Prince"),
    "CA": ("anglo", ["en", "fr"], ["Winnipeg", "Moncton"], "1", "America/Toronto"),
    # Arab States
    "JO": ("arab", ["ar", "en"], ["Amman", "Irbid", "Zarqa"], "962", "Asia/Amman"),
    "LB": ("arab", ["ar", "fr", "en"], ["Beirut", "Saida"], "961", "Asia/Beirut"),
    "PS": ("arab", ["ar", "en"], ["Ramallah", "Nablus"], "970", "Asia/Hebron"),
    "QA": ("arab", ["ar", "en"], ["Doha", "Al Wakrah"], "974", "Asia/Qatar"),
    "OM": ("arab", ["ar", "en"], ["Muscat", "Sohar"], "968", "Asia/Muscat"),
    "IQ": ("arab", ["ar"], ["Erbil", "Basra"], "964", "Asia/Baghdad"),
    # Asia and the Pacific
    "IN": ("south-asia", ["en", "hi"], ["Pune", "Jaipur", "Kochi"], "91", "Asia/Kolkata"),
    "BD": ("south-asia", ["bn", "en"], ["Dhaka", "Khulna"], "880", "Asia/Dhaka"),
    "NP": ("south-asia", ["ne", "en"], ["Kathmandu", "Pokhara"], "977", "Asia/Kathmandu"),
    "PK": ("south-asia", ["ur", "en"], ["Lahore", "Peshawar"], "92", "Asia/Karachi"),
    "PH": ("southeast-asia", ["en"], ["Cebu", "Davao", "Iloilo"], "63", "Asia/Manila"),
    "ID": ("southeast-asia", ["id", "en"], ["Bandung", "Surabaya"], "62", "Asia/Jakarta"),
    "VN": ("southeast-asia", ["vi", "en"], ["Da Nang", "Hue"], "84", "Asia/Ho_Chi_Minh"),
    "KH": ("southeast-asia", ["km", "en"], ["Siem Reap", "Battambang"], "855", "Asia/Phnom_Penh"),
    "FJ": ("anglo", ["en"], ["Suva", "Lautoka"], "679", "Pacific/Fiji"),
    "AU": ("anglo", ["en"], ["Brisbane", "Adelaide"], "61", "Australia/Brisbane"),
    # Europe and Central Asia
    "FR": ("europe", ["fr"], ["Lyon", "Lille", "Marseille"], "33", "Europe/Paris"),
    "ES": ("hispanic", ["es"], ["Valencia", "Bilbao", "Sevilla"], "34", "Europe/Madrid"),
    "IT": ("europe", ["it", "en"], ["Torino", "Bologna"], "39", "Europe/Rome"),
    "DE": ("europe", ["de", "en"], ["Leipzig", "Köln"], "49", "Europe/Berlin"),
    "BE": ("europe", ["fr", "nl"], ["Liège", "Charleroi"], "32", "Europe/Brussels"),
    "PT": ("lusophone", ["pt"], ["Porto", "Braga"], "351", "Europe/Lisbon"),
    "TR": ("turkic", ["tr", "en"], ["Izmir", "Gaziantep"], "90", "Europe/Istanbul"),
    "KZ": ("turkic", ["kk", "ru"], ["Almaty", "Shymkent"], "7", "Asia/Almaty"),
    "UZ": ("turkic", ["uz", "ru"], ["Samarkand", "Namangan"], "998", "Asia/Tashkent"),
    "GE": ("turkic", ["ka", "en"], ["Tbilisi", "Kutaisi"], "995", "Asia/Tbilisi"),
    "UA": ("europe", ["uk", "en"], ["Lviv", "Kharkiv"], "380", "Europe/Kyiv"),
    "AL": ("europe", ["sq", "en"], ["Tirana", "Shkodër"], "355", "Europe/Tirane"),
}

NAME_POOLS = {
    "africa-en": (
        "Amina Kwame Wanjiru Chinedu Thandiwe Otieno Abena Tendai Zawadi Kofi Nia Baraka",
        "Mwangi Okafor Mensah Banda Achieng Dlamini Nkosi Owusu Mutua Adeyemi Moyo Kamau",
    ),
    "africa-fr": (
        "Aïssatou Moussa Fatou Awa Mariam Koffi Aminata Ibrahima Clarisse Yves Serge Rokia",
        "Diop Traoré Kouassi Ndiaye Sawadogo Mbarga Rakoto Camara Ouédraogo Fofana Baptiste Sow",
    ),
    "hispanic": (
        "Lucía Mateo Valentina Diego Camila Andrés Daniela Javier Paola Tomás Ximena Rodrigo",
        "Ramírez Quispe Herrera Morales Castillo Rojas Vargas Mendoza Gutiérrez Flores Paredes",
    ),
    "lusophone": (
        "Ana João Beatriz Rafael Mariana Thiago Inês Gustavo Larissa Caio",
        "Silva Costa Pereira Almeida Souza Oliveira Ferreira Rocha Barbosa Teixeira",
    ),
    "arab": (
        "Layla Omar Rania Yousef Hala Karim Nour Tariq Salma Ziad Mona Samir",
        "Haddad Khalil Mansour Nasser Saleh Aziz Bakri Darwish Farouk Hamdan Jaber Rahal",
    ),
    "south-asia": (
        "Priya Arjun Nusrat Rahim Sita Bikash Ayesha Imran Kavita Rohan Farzana Dev",
        "Sharma Rahman Gurung Khan Patel Chowdhury Thapa Iyer Hossain Qureshi Nair Joshi",
    ),
    "southeast-asia": (
        "Maria Jose Siti Budi Linh Minh Dara Sophea Rizal Mai Paolo Ayu",
        "Santos Reyes Wijaya Nguyen Tran Chan Pratama Le Sok Lim Bautista Hartono",
    ),
    "anglo": (
        "Emma Liam Grace Noah Olivia Jack Chloe Ethan Shanice Marcus Tevita Ruby",
        "Taylor Brown Campbell Walker Clarke Robinson Scott Reid Morgan Bennett Naidu Palmer",
    ),
    "europe": (
        "Elena Marco Sophie Lukas Giulia Thomas Claire Jonas Olena Arben Léa Pieter",
        "Rossi Weber Moreau Janssens Bianchi Fischer Lambert Peeters Kovalenko Hoxha Ricci Girard",
    ),
    "turkic": (
        "Aigerim Daniyar Nino Giorgi Mehmet Ayşe Dilnoza Timur Zeynep Bekzat Madina Levan",
        "Nurlanov Beridze Kaya Karimova Demir Sadykov Kapanadze Arslan Yusupova Omarov Ergash",
    ),
}

# (English, French, Spanish, Portuguese), written to follow "workers" / "travailleurs" etc.
SECTORS = [
    ("construction", "du bâtiment", "de la construcción", "da construção civil"),
    (
        "renewable energy",
        "des énergies renouvelables",
        "de energías renovables",
        "de energia solar",
    ),
    ("agro-processing", "de l'agro-transformation", "agroindustriales", "da agroindústria"),
    ("automotive repair", "de la mécanique automobile", "de mecánica automotriz", "da mecânica"),
    ("hospitality", "de l'hôtellerie", "de hotelería y turismo", "de hotelaria e turismo"),
    ("garment", "de la confection", "de la confección", "da confecção"),
    ("ICT", "du numérique", "de tecnologías digitales", "de tecnologia da informação"),
    ("health care", "de la santé", "de la salud", "da saúde"),
    ("logistics", "de la logistique", "de logística", "da logística"),
    ("agriculture", "agricoles", "agrícolas", "rurais"),
]

GROUPS = [
    "young people not in employment, education or training",
    "young women",
    "women returning to work",
    "refugees and host communities",
    "persons with disabilities",
    "rural youth",
    "informal-economy workers",
    "migrant workers",
    "school leavers",
    "workers whose jobs are being automated",
    "returning migrants",
    "master craftspeople and their apprentices",
]

# {city}, {sector} (English), {sector_xx} (in the name's language)
ORGANIZATION_NAMES = {
    Member.Type.TVET: {
        "en": [
            "{city} Technical and Vocational College",
            "{city} Polytechnic Skills Centre",
            "{Sector} Training Institute, {city}",
        ],
        "fr": [
            "Centre de formation professionnelle de {city}",
            "Lycée technique et professionnel de {city}",
            "Institut des métiers {sector_fr} de {city}",
        ],
        "es": [
            "Instituto Técnico Superior de {city}",
            "Centro de Formación Profesional {city}",
            "Escuela de Oficios {sector_es} de {city}",
        ],
        "pt": ["Escola Técnica de {city}", "Centro de Formação Profissional {sector_pt}, {city}"],
    },
    Member.Type.WORKERS: {
        "en": ["{Sector} Workers' Union of {city}", "{city} Federation of {Sector} Workers"],
        "fr": ["Syndicat des travailleurs {sector_fr} de {city}"],
        "es": ["Sindicato de Trabajadores {sector_es} de {city}"],
        "pt": ["Sindicato dos Trabalhadores {sector_pt} de {city}"],
    },
    Member.Type.EMPLOYERS: {
        "en": ["{city} {Sector} Employers' Association", "{city} Chamber of Commerce Skills Desk"],
        "fr": [
            "Groupement des employeurs {sector_fr} de {city}",
            "Chambre de commerce et des métiers de {city}",
        ],
        "es": ["Asociación de Empresarios {sector_es} de {city}", "Cámara de Comercio de {city}"],
        "pt": ["Associação Empresarial {sector_pt} de {city}"],
    },
    Member.Type.GOVERNMENT: {
        "en": ["{city} County Skills Development Office", "Regional Employment Service, {city}"],
        "fr": [
            "Agence régionale pour l'emploi de {city}",
            "Direction régionale de la formation professionnelle, {city}",
        ],
        "es": ["Secretaría Municipal de Empleo de {city}", "Servicio Regional de Empleo, {city}"],
        "pt": ["Secretaria Municipal do Trabalho de {city}", "Agência Regional de Emprego, {city}"],
    },
    Member.Type.NGO: {
        "en": [
            "{city} Youth Skills Alliance",
            "Women in Trades Initiative {city}",
            "Second Chance Learning Trust, {city}",
        ],
        "fr": [
            "Association Jeunesse et Métiers de {city}",
            "Collectif Femmes et Métiers de {city}",
            "Fondation Tremplin {city}",
        ],
        "es": [
            "Fundación Oportunidades {city}",
            "Asociación Mujeres y Oficios de {city}",
            "Colectivo Segunda Oportunidad {city}",
        ],
        "pt": ["Instituto Jovem Aprendiz {city}", "Associação Mulheres e Ofícios de {city}"],
    },
    Member.Type.RESEARCH: {
        "en": [
            "{city} Labour Market Observatory",
            "{city} Centre for Skills Research",
            "Centre for Work and Learning Studies, {city}",
        ],
        "fr": [
            "Observatoire de l'emploi et des compétences de {city}",
            "Laboratoire Travail et Formation de {city}",
        ],
        "es": [
            "Observatorio Laboral de {city}",
            "Centro de Estudios del Trabajo y la Formación, {city}",
        ],
        "pt": [
            "Observatório do Trabalho de {city}",
            "Núcleo de Estudos Trabalho e Formação, {city}",
        ],
    },
}
BRAND_PARTS = (
    "Skill Kazi Job Craft Learn Talent Work Next Bright Open Path Mentor Spark Trade Ubuntu",
    "Bridge Link Loop Match Hub Labs Works Nest Lane Forge Sprout Ladder Compass Circle",
)

# Per category: project titles, then what the project does (one sentence each).
PROJECTS = {
    "work-based-learning": (
        [
            "Apprenticeships in {sector} for {group}",
            "Upgrading informal apprenticeships in {city}'s {sector} workshops",
            "A digital logbook for apprentices and their masters",
            "Dual training with small {sector} firms",
        ],
        "We place apprentices with small {sector} firms and train the masters who supervise them.",
    ),
    "rpl-certification": (
        [
            "Recognising what {group} already know: an RPL pathway in {sector}",
            "Skills passports for informal-economy workers",
            "Mobile recognition of prior learning in {sector}",
        ],
        "Assessors visit workplaces to recognise skills people learned on the job and award a "
        "national certificate in {sector}.",
    ),
    "career-guidance": (
        [
            "A career guidance chatbot for {group}",
            "Matching {group} with {sector} employers",
            "Career guidance clubs in rural secondary schools",
        ],
        "Counsellors and a mobile app help {group} choose a training path and meet employers "
        "who are hiring.",
    ),
    "research-data": (
        [
            "A skills anticipation dashboard for {sector}",
            "Tracer study of TVET graduates in {city}",
            "Real-time labour-market information from online job ads",
        ],
        "We collect data from employers and graduates so that training providers in {city} know "
        "which skills the {sector} sector will need.",
    ),
    "skills-ecosystem": (
        [
            "A {sector} skills council of colleges and employers",
            "Outcome-based financing for training in {sector}",
            "An industry-college partnership for {sector} in {city}",
        ],
        "We bring training providers, employers and local government together to plan the "
        "{sector} courses the region needs and share their cost.",
    ),
    "training-delivery": (
        [
            "Modular micro-learning for {sector} technicians",
            "Blended online and workshop training in {sector}",
            "Training trainers to teach digital skills",
            "Virtual reality practice for {sector} trainees",
        ],
        "Short modules on a phone, followed by practice in a workshop, let trainees learn "
        "{sector} skills at their own pace.",
    ),
    "social-inclusion": (
        [
            "Bridging courses into {sector} for {group}",
            "Women in {sector}: training and mentoring",
            "Accessible vocational training for persons with disabilities",
            "Skills for refugees and host communities in {city}",
        ],
        "We remove the barriers that keep {group} out of training: childcare, transport, "
        "language and accessible premises.",
    ),
    "entrepreneurship": (
        [
            "An incubator for {group} starting {sector} businesses",
            "An entrepreneurship bootcamp for young people in {city}",
            "From apprentice to owner: business skills for craft workers",
        ],
        "Participants learn to plan, price and market a small {sector} business and are "
        "coached through their first year.",
    ),
    "core-life-skills": (
        [
            "Soft skills and well-being for {group}",
            "Digital basics for {group}",
            "Teamwork and problem solving through community projects",
        ],
        "Group projects build communication, teamwork and basic digital skills that employers "
        "in {city} say they miss most.",
    ),
}

PROBLEMS = [
    "Employers in {city} say they cannot find people with the right skills, while many "
    "{group} cannot find work.",
    "Training in {sector} is mostly theoretical and does not match what the workplace needs.",
    "Most {group} learn their trade informally and have nothing to show for it.",
    "Since the COVID-19 crisis, {group} have had even fewer chances to learn and to work.",
    "Courses are designed far from the jobs, with little information on which skills are needed.",
]

EXPERTISE = {
    "work-based-learning": "Designing apprenticeship standards with employers",
    "rpl-certification": "Assessment tools for the recognition of prior learning",
    "career-guidance": "Setting up career guidance services",
    "research-data": "Labour-market surveys and skills anticipation",
    "skills-ecosystem": "Building partnerships between colleges and industry",
    "training-delivery": "Designing blended and modular courses",
    "social-inclusion": "Making training accessible to persons with disabilities",
    "entrepreneurship": "Business coaching for first-time entrepreneurs",
    "core-life-skills": "Soft-skills curricula and trainer guides",
}
GENERAL_EXPERTISE = [
    "Fundraising and proposal writing",
    "Monitoring and evaluation",
    "Mobile learning apps",
    "Training of trainers",
    "Working with employers' organizations",
    "Gender-responsive programme design",
]

# The types whose members are people rather than organizations.
INDIVIDUAL_TYPES = {Member.Type.PRACTITIONER, Member.Type.YOUNG_INNOVATOR}
STAGES = [Member.Stage.IDEA, Member.Stage.PILOT, Member.Stage.IMPLEMENTATION, Member.Stage.SCALING]


def name_language(country):
    """The language an organization in ``country`` is most likely named in."""
    for code in COUNTRIES[country][1]:
        if code in ("en", "fr", "es", "pt"):
            return code
    return "en"


def person_name(rng, country):
    first_names, last_names = NAME_POOLS[COUNTRIES[country][0]]
    return f"{rng.choice(first_names.split())} {rng.choice(last_names.split())}"


def organization_name(rng, member_type, country, city, sector):
    if member_type == Member.Type.STARTUP:
        prefixes, suffixes = BRAND_PARTS
        return f"{rng.choice(prefixes.split())}{rng.choice(suffixes.split())}"
    templates = ORGANIZATION_NAMES[member_type][name_language(country)]
    english, french, spanish, portuguese = sector
    return rng.choice(templates).format(
        city=city,
        Sector=english[0].upper() + english[1:],
        sector_fr=french,
        sector_es=spanish,
        sector_pt=portuguese,
    )


def email_address(name, domain):
    local = slugify(name).replace("-", ".")
    return f"{local}@{domain}.example.org"


def member_spec(rng, member_type, country, category):
    """One invented member: field values plus ``categories`` and ``languages`` (code lists).

    ``category`` is the project's main category; up to two others are drawn at random.
    """
    _pool, languages, cities, calling_code, time_zone = COUNTRIES[country]
    city = rng.choice(cities)
    sector = rng.choice(SECTORS)
    group = rng.choice(GROUPS)
    others = [slug for slug in CATEGORY_SLUGS if slug != category]
    categories = [category, *rng.sample(others, rng.choice([0, 0, 1, 1, 2]))]
    words = {"city": city, "sector": sector[0], "group": group}
    titles, approach = PROJECTS[categories[0]]

    individual = member_type in INDIVIDUAL_TYPES
    contact_name = person_name(rng, country)
    name = (
        contact_name if individual else organization_name(rng, member_type, country, city, sector)
    )
    domain = "mail" if individual else slugify(name)[:40].strip("-")
    stage = rng.choice(STAGES)
    learners = rng.choice([40, 60, 120, 250, 400, 900, 1500, 3200])
    working = rng.randint(45, 85)
    spoken = list(languages[: rng.choice([1, 2, 2])])
    if "en" not in spoken and rng.random() < 0.5:
        spoken.append("en")
    for extra in ("fr", "es"):
        if extra not in spoken and rng.random() < 0.06:
            spoken.append(extra)
    return {
        "name": name,
        "kind": Member.Kind.INDIVIDUAL if individual else Member.Kind.ORGANIZATION,
        "member_type": member_type,
        "country": country,
        "categories": categories,
        "languages": spoken,
        "project_title": rng.choice(titles).format(**words),
        "project_summary": " ".join(
            [rng.choice(PROBLEMS).format(**words), approach.format(**words)]
        ),
        "project_objectives": "\n".join(
            [
                f"Train {learners} {group} by {rng.choice([2026, 2027, 2028])}.",
                f"Get {working}% of them into work or self-employment within six months.",
                f"Share the method with at least {rng.randint(2, 6)} partner organizations.",
            ]
        ),
        "project_stage": stage,
        "beneficiaries": f"{group[0].upper()}{group[1:]}; employers in {sector[0]} in {city}.",
        "impact": ""
        if stage == Member.Stage.IDEA
        else f"{learners} people trained so far; {working}% of them in work six months later.",
        "website": "" if individual else f"https://www.{domain}.example.org/",
        "expertise": "; ".join(
            [EXPERTISE[categories[0]], rng.choice(GENERAL_EXPERTISE)][: rng.randint(1, 2)]
        ),
        "contact_name": contact_name,
        "contact_email": email_address(contact_name, domain),
        "contact_phone": f"+{calling_code} {rng.randint(200, 999)} {rng.randint(100000, 999999)}",
        "email_visibility": rng.choice(list(Visibility)),
        "phone_visibility": rng.choice([Visibility.STAFF, Visibility.STAFF, Visibility.MEMBERS]),
        "preferred_language": next((code for code in spoken if code in ("en", "fr", "es")), "en"),
        "time_zone": time_zone,
    }


def member_specs(rng, count):
    """``count`` members with unique names and contact emails.

    The first members go through every country in turn, and every type and every category
    comes round once in each run of nine, so even a small demo shows them all.
    """
    countries = list(COUNTRIES)
    types = list(Member.Type)
    rng.shuffle(countries)
    specs, names, emails, categories = [], set(), set(), []
    for index in range(count):
        if index % len(CATEGORY_SLUGS) == 0:
            categories = rng.sample(CATEGORY_SLUGS, len(CATEGORY_SLUGS))
        category = categories[index % len(CATEGORY_SLUGS)]
        country = countries[index] if index < len(countries) else rng.choice(countries)
        member_type = types[index % len(types)]
        for _attempt in range(20):
            spec = member_spec(rng, member_type, country, category)
            if spec["name"] not in names and spec["contact_email"] not in emails:
                break
        else:
            spec["name"] = f"{spec['name']} ({index})"
            spec["contact_email"] = spec["contact_email"].replace("@", f".{index}@")
        names.add(spec["name"])
        emails.add(spec["contact_email"])
        specs.append(spec)
    return specs


# ---- Needs answers and an invitation round (``seed_demo`` calls ``seed``) --------------------

NEEDS_SHARE = 0.6
# The persona who shows the invitation to answer; the applicant the newcomer claims.
UNANSWERED_OWNER = "innovator@example.org"
NOT_INVITED = "Youth Digital Skills Collective"


def seed(rng):
    """Needs answers for most claimed profiles, and one invitation round 16 days ago (its
    emails and reminders already sent, one address unsubscribed). Idempotent: members that
    answered keep their answers, and a round is made only when none exists. Sends nothing."""
    from .invitation_models import InvitationRound

    seed_contact_languages()
    # Their own random sequence: the answers below stay those they were before the logos.
    seed_pictures(random.Random("logos"))
    answered = seed_needs_answers(rng)
    if not InvitationRound.objects.exists():
        seed_invitation_round(rng)
    return answered


def seed_contact_languages():
    """Applicants read their invitation in their country's first working language when the
    portal speaks it (French, Spanish), else in English."""
    for member in Member.objects.filter(imported=True, owner__isnull=True, contact_language="en"):
        spoken = COUNTRIES.get(str(member.country), (None, ["en"]))[1]
        language = spoken[0] if spoken[0] in ("fr", "es") else "en"
        if language != "en":
            Member.objects.filter(pk=member.pk).update(contact_language=language)


def _choices(rng, options, low, high):
    return rng.sample(options, min(len(options), rng.randint(low, high)))


def seed_needs_answers(rng):
    from django.utils import timezone

    seed_text = rng.random()
    from .needs_models import NeedsAnswer, NeedsAssessment, NeedsQuestion

    questions = list(NeedsQuestion.objects.filter(is_active=True).prefetch_related("options"))
    members = (
        Member.objects.filter(owner__isnull=False, needs_assessment__isnull=True)
        .exclude(owner__email=UNANSWERED_OWNER)
        .select_related("owner")
        .order_by("pk")
    )
    now = timezone.now()
    count = 0
    for member in members:
        # Drawn per member, so a second run leaves out the same members as the first.
        rng = random.Random(f"{seed_text}-{member.name}")
        if rng.random() > NEEDS_SHARE:
            continue
        zone = COUNTRIES.get(str(member.country), (None, None, None, None, "UTC"))[4]
        answered_at = now - timedelta(days=rng.randint(1, 120))
        assessment = NeedsAssessment.objects.create(
            member=member,
            time_zone=zone,
            answered_at=answered_at,
            updated_at=answered_at,
            answered_by=member.owner,
        )
        for question in questions:
            options = list(question.options.all())
            if question.kind == NeedsQuestion.Kind.TEXT:
                chosen, text = [], rng.choice(["", "", "Sessions in French, please."])
            elif question.section == NeedsQuestion.Section.ADVICE:
                chosen = _choices(rng, options, 0, 2)
                text = ""
            else:
                chosen, text = _choices(rng, options, 1, 3), ""
            answer = NeedsAnswer.objects.create(
                assessment=assessment,
                question=question,
                question_version=question.version,
                text=text,
                answered_at=answered_at,
            )
            answer.options.set(chosen)
        count += 1
    return count


def seed_invitation_round(rng):
    from django.utils import timezone

    from accounts.models import User

    from .invitation_models import (
        LINK_VALID_FOR,
        REMIND_AFTER,
        EmailSuppression,
        Invitation,
        InvitationEmail,
        InvitationRound,
    )

    staff = User.objects.filter(email="staff@example.org").first()
    applicants = list(
        Member.objects.filter(imported=True, owner__isnull=True)
        .exclude(contact_email="")
        .exclude(name=NOT_INVITED)
        .order_by("pk")
    )
    if staff is None or not applicants:
        return None
    created = timezone.now() - timedelta(days=16)
    invitation_round = InvitationRound.objects.create(
        created_by=staff, created_at=created, filters={}
    )
    invited = applicants[: max(1, len(applicants) * 2 // 3)]
    for index, member in enumerate(invited):
        invitation = Invitation.objects.create(
            round=invitation_round,
            member=member,
            email=member.contact_email.lower(),
            language=member.contact_language,
            created_at=created,
            expires_at=created + LINK_VALID_FOR,
        )
        sent = created + timedelta(minutes=1)
        InvitationEmail.objects.create(
            invitation=invitation, kind="invitation", due_at=created, sent_at=sent
        )
        unsubscribed = index == 0
        InvitationEmail.objects.create(
            invitation=invitation,
            kind="reminder",
            due_at=created + REMIND_AFTER,
            sent_at=None if unsubscribed else created + REMIND_AFTER,
            failed_at=created + REMIND_AFTER if unsubscribed else None,
            last_error="No longer owed" if unsubscribed else "",
        )
        if unsubscribed:
            EmailSuppression.objects.get_or_create(
                email=invitation.email,
                defaults={"reason": EmailSuppression.Reason.UNSUBSCRIBED},
            )
    return invitation_round


# Generated logos: a shape on a coloured ground with the organization's initials, drawn here
# (no downloaded images). About two in three listed members get one; the others show the
# initials badge, as real members without a picture do.
LOGO_GROUNDS = ["#1e2dbe", "#0b5e43", "#5a2d82", "#9b1238", "#005566", "#8a3b00", "#23395d"]
LOGO_ACCENTS = ["#ffbf47", "#7fd1ae", "#f4a6b8", "#a9c4ff", "#ffd9a0", "#ffffff"]
LOGO_SHARE = 0.65


def draw_logo(rng, name):
    """A 512 px logo for ``name``: a ground, one accent shape, and the initials."""
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont

    size = 512
    ground, accent = rng.choice(LOGO_GROUNDS), rng.choice(LOGO_ACCENTS)
    image = Image.new("RGB", (size, size), "#ffffff")
    pen = ImageDraw.Draw(image)
    shape = rng.choice(["circle", "square", "arc", "ring", "diamond"])
    if shape == "circle":
        pen.ellipse((16, 16, size - 16, size - 16), fill=ground)
        pen.ellipse((300, 40, 440, 180), fill=accent)
    elif shape == "square":
        pen.rounded_rectangle((16, 16, size - 16, size - 16), radius=96, fill=ground)
        pen.rectangle((16, 380, size - 16, 420), fill=accent)
    elif shape == "arc":
        pen.rounded_rectangle((16, 16, size - 16, size - 16), radius=48, fill=ground)
        pen.pieslice((336, -160, 656, 160), 90, 180, fill=accent)  # a corner clear of the text
    elif shape == "ring":
        pen.ellipse((16, 16, size - 16, size - 16), fill=ground)
        pen.ellipse((52, 52, size - 52, size - 52), outline=accent, width=16)
    else:
        pen.polygon([(256, 8), (504, 256), (256, 504), (8, 256)], fill=ground)
        pen.polygon([(256, 60), (300, 104), (256, 148), (212, 104)], fill=accent)
    initials = "".join(word[0] for word in name.split() if word[:1].isalpha())[:2].upper()
    font = ImageFont.truetype(str(Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"), 190)
    pen.text((size / 2, size / 2 + 10), initials, font=font, fill="#ffffff", anchor="mm")
    return image


def seed_pictures(rng):
    """Generated logos for about two in three listed members; none when any member has a
    picture already (a second run adds none). Returns how many were drawn."""
    from .pictures import picture_store

    if Member.objects.exclude(picture="").exists():
        return 0
    members = list(Member.objects.filter(status=Member.Status.LISTED).order_by("pk"))
    drawn = 0
    for member in members:
        if rng.random() < LOGO_SHARE:
            picture_store(member=member, image=draw_logo(rng, member.name))
            drawn += 1
    return drawn
