"""The nine skills categories agreed by the Core Group on 3 December 2020, seeded by migration 0002.

Kept out of the migration so the texts can be read and reviewed in one place; the migration copies
them, so later edits here do not rewrite a database (the admin is where categories change).
"""

CATEGORIES = [
    {
        "slug": "work-based-learning",
        "position": 1,
        "name": "Work-based learning",
        "name_fr": "Apprentissage en milieu de travail",
        "name_es": "Aprendizaje en el lugar de trabajo",
        "description": (
            "Learning that takes place in a real workplace, such as formal and informal "
            "apprenticeships, internships, traineeships and on-the-job training. It covers how "
            "these schemes are designed, run and quality-assured so that learners gain the skills "
            "employers need."
        ),
        "description_fr": (
            "Apprentissage qui se déroule sur un véritable lieu de travail : apprentissage formel "
            "et informel, stages, formations pratiques et formation en cours d'emploi. Cette "
            "catégorie porte aussi sur la conception, la mise en œuvre et l'assurance qualité de "
            "ces dispositifs, afin que les apprenants acquièrent les compétences recherchées par "
            "les employeurs."
        ),
        "description_es": (
            "Formación que se realiza en un lugar de trabajo real, como el aprendizaje formal e "
            "informal, las pasantías, las prácticas y la formación en el puesto de trabajo. "
            "Abarca también el diseño, la gestión y el aseguramiento de la calidad de estos "
            "programas, para que las personas adquieran las competencias que necesitan los "
            "empleadores."
        ),
    },
    {
        "slug": "rpl-certification",
        "position": 2,
        "name": "RPL and certification",
        "name_fr": "Reconnaissance des acquis de l'expérience et certification",
        "name_es": "Reconocimiento del aprendizaje previo y certificación",
        "description": (
            "Assessing what people know and can do, however and wherever they learned it, and "
            "formally recognising it with a credential. This includes recognition of prior "
            "learning (RPL) for skills gained at work or in the informal economy, and the "
            "certification systems that make those skills visible to employers and education "
            "providers."
        ),
        "description_fr": (
            "Évaluer ce que les personnes savent et savent faire, quelle que soit la manière dont "
            "elles l'ont appris, et le reconnaître officiellement par une certification. Cela "
            "inclut la reconnaissance des acquis de l'expérience (RAE) pour les compétences "
            "acquises au travail ou dans l'économie informelle, ainsi que les systèmes de "
            "certification qui rendent ces compétences visibles aux yeux des employeurs et des "
            "établissements d'enseignement et de formation."
        ),
        "description_es": (
            "Evaluar lo que las personas saben y saben hacer, independientemente de cómo y dónde "
            "lo hayan aprendido, y reconocerlo formalmente mediante una certificación. Incluye el "
            "reconocimiento del aprendizaje previo (RAP) de las competencias adquiridas en el "
            "trabajo o en la economía informal, así como los sistemas de certificación que hacen "
            "visibles esas competencias ante los empleadores y las instituciones de educación y "
            "formación."
        ),
    },
    {
        "slug": "career-guidance",
        "position": 3,
        "name": "Career guidance and employment services",
        "name_fr": "Orientation professionnelle et services de l'emploi",
        "name_es": "Orientación profesional y servicios de empleo",
        "description": (
            "Helping people plan their careers and manage transitions between education, training "
            "and work throughout their lives. It covers career guidance and counselling, and the "
            "public and private employment services that match jobseekers with vacancies."
        ),
        "description_fr": (
            "Aider les personnes à planifier leur parcours professionnel et à gérer les "
            "transitions entre l'éducation, la formation et l'emploi tout au long de la vie. "
            "Cette catégorie couvre l'orientation et le conseil professionnels, ainsi que les "
            "services publics et privés de l'emploi qui mettent en relation les demandeurs "
            "d'emploi et les offres d'emploi."
        ),
        "description_es": (
            "Ayudar a las personas a planificar su trayectoria profesional y a gestionar las "
            "transiciones entre la educación, la formación y el empleo a lo largo de la vida. "
            "Abarca la orientación y el asesoramiento profesional, así como los servicios de "
            "empleo públicos y privados que vinculan a quienes buscan trabajo con las vacantes "
            "disponibles."
        ),
    },
    {
        "slug": "research-data",
        "position": 4,
        "name": "Research, data and analysis for skills development",
        "name_fr": "Recherche, données et analyse pour le développement des compétences",
        "name_es": "Investigación, datos y análisis para el desarrollo de competencias",
        "description": (
            "The evidence behind skills policy and practice: labour market information, the "
            "anticipation and forecasting of skills needs, and studies of which approaches work "
            "and why. Good data help governments, employers and training providers decide what "
            "to teach and to whom."
        ),
        "description_fr": (
            "Les données probantes qui éclairent les politiques et les pratiques en matière de "
            "compétences : information sur le marché du travail, anticipation et prévision des "
            "besoins en compétences, et études sur ce qui fonctionne et pourquoi. Des données "
            "fiables aident les pouvoirs publics, les employeurs et les prestataires de formation "
            "à décider quoi enseigner, et à qui."
        ),
        "description_es": (
            "La evidencia que orienta las políticas y las prácticas en materia de competencias: "
            "información sobre el mercado de trabajo, anticipación y previsión de las necesidades "
            "de competencias, y estudios sobre qué funciona y por qué. Contar con datos fiables "
            "ayuda a los gobiernos, los empleadores y los proveedores de formación a decidir qué "
            "enseñar y a quién."
        ),
    },
    {
        "slug": "skills-ecosystem",
        "position": 5,
        "name": "Skills ecosystem",
        "name_fr": "Écosystème des compétences",
        "name_es": "Ecosistema de competencias",
        "description": (
            "The connections that make a skills system work as a whole: links between training "
            "providers and industry, clusters, sectoral approaches, and partnerships among "
            "governments, employers' and workers' organizations and others. It also covers "
            "innovative ways of financing skills development."
        ),
        "description_fr": (
            "Les liens qui permettent à un système de développement des compétences de "
            "fonctionner comme un tout : relations entre les prestataires de formation "
            "professionnelle et les entreprises, pôles d'activité (clusters), approches "
            "sectorielles et partenariats entre les pouvoirs publics, les organisations "
            "d'employeurs et de travailleurs et d'autres acteurs. Cette catégorie couvre "
            "également les modes de financement innovants du développement des compétences."
        ),
        "description_es": (
            "Los vínculos que permiten que un sistema de desarrollo de competencias funcione como "
            "un todo: relaciones entre los proveedores de formación y las empresas, clústeres, "
            "enfoques sectoriales y alianzas entre los gobiernos, las organizaciones de "
            "empleadores y de trabajadores y otros actores. Abarca también los mecanismos "
            "innovadores de financiación del desarrollo de competencias."
        ),
    },
    {
        "slug": "training-delivery",
        "position": 6,
        "name": "Training delivery and assessment",
        "name_fr": "Mise en œuvre et évaluation de la formation",
        "name_es": "Impartición y evaluación de la formación",
        "description": (
            "How training is designed, delivered and assessed, from curricula and teaching "
            "methods to the tests that show what learners have achieved. It includes digital and "
            "online learning, modular programmes and micro-learning, and the role of teachers and "
            "trainers in technical and vocational education and training (TVET)."
        ),
        "description_fr": (
            "La manière dont la formation est conçue, dispensée et évaluée, des programmes et "
            "méthodes pédagogiques jusqu'aux épreuves qui attestent des acquis des apprenants. "
            "Cela comprend l'apprentissage numérique et en ligne, les programmes modulaires et le "
            "microapprentissage, ainsi que le rôle des enseignants et des formateurs de "
            "l'enseignement et de la formation techniques et professionnels (EFTP)."
        ),
        "description_es": (
            "Cómo se diseña, imparte y evalúa la formación, desde los planes de estudio y los "
            "métodos pedagógicos hasta las pruebas que demuestran lo que han logrado los "
            "participantes. Incluye el aprendizaje digital y en línea, los programas modulares y "
            "el microaprendizaje, así como la función de los docentes y formadores de la "
            "educación y formación técnica y profesional (EFTP)."
        ),
    },
    {
        "slug": "social-inclusion",
        "position": 7,
        "name": "Social inclusion and access to training",
        "name_fr": "Inclusion sociale et accès à la formation",
        "name_es": "Inclusión social y acceso a la formación",
        "description": (
            "Opening up training to people who face disadvantage in the labour market, including "
            "women, young people, persons with disabilities, rural workers, workers in the "
            "informal economy, migrants and refugees. It covers outreach, support measures and "
            "removing the barriers that keep people from taking part."
        ),
        "description_fr": (
            "Ouvrir la formation aux personnes défavorisées sur le marché du travail, notamment "
            "les femmes, les jeunes, les personnes handicapées, les travailleurs ruraux et ceux de "
            "l'économie informelle, les migrants et les réfugiés. Cette catégorie couvre les "
            "actions de sensibilisation, les mesures d'accompagnement et la levée des obstacles "
            "qui empêchent ces personnes de participer."
        ),
        "description_es": (
            "Abrir la formación a las personas en situación de desventaja en el mercado de "
            "trabajo, entre ellas las mujeres, los jóvenes, las personas con discapacidad, los "
            "trabajadores rurales y de la economía informal, los migrantes y los refugiados. "
            "Abarca las actividades de divulgación, las medidas de apoyo y la eliminación de los "
            "obstáculos que les impiden participar."
        ),
    },
    {
        "slug": "entrepreneurship",
        "position": 8,
        "name": "Entrepreneurship and self-employment",
        "name_fr": "Entrepreneuriat et travail indépendant",
        "name_es": "Emprendimiento y trabajo por cuenta propia",
        "description": (
            "Developing the skills people need to start, run and grow a business or to work for "
            "themselves. It covers entrepreneurship training, support for self-employment and "
            "the incubation of small businesses."
        ),
        "description_fr": (
            "Développer les compétences dont les personnes ont besoin pour créer, gérer et faire "
            "croître une entreprise ou pour travailler à leur compte. Cette catégorie couvre la "
            "formation à l'entrepreneuriat, le soutien au travail indépendant et l'incubation de "
            "petites entreprises."
        ),
        "description_es": (
            "Desarrollar las competencias que las personas necesitan para crear, gestionar y hacer "
            "crecer una empresa o para trabajar por cuenta propia. Abarca la formación en "
            "emprendimiento, el apoyo al autoempleo y la incubación de pequeñas empresas."
        ),
    },
    {
        "slug": "core-life-skills",
        "position": 9,
        "name": "Core skills and life skills",
        "name_fr": "Compétences de base et compétences pour la vie",
        "name_es": "Competencias básicas y habilidades para la vida",
        "description": (
            "Transferable skills that people use in any job and in daily life, such as "
            "communication, teamwork, problem solving, basic digital skills and other soft "
            "skills. It also takes in well-being, which supports learning and work throughout "
            "life."
        ),
        "description_fr": (
            "Les compétences transférables utiles dans tout emploi comme dans la vie quotidienne : "
            "communication, travail d'équipe, résolution de problèmes, compétences numériques de "
            "base et autres compétences non techniques. Cette catégorie inclut aussi le bien-être, "
            "qui favorise l'apprentissage et le travail tout au long de la vie."
        ),
        "description_es": (
            "Las competencias transferibles que se utilizan en cualquier empleo y en la vida "
            "cotidiana: comunicación, trabajo en equipo, resolución de problemas, competencias "
            "digitales básicas y otras habilidades socioemocionales. Incluye también el "
            "bienestar, que favorece el aprendizaje y el trabajo a lo largo de la vida."
        ),
    },
]
