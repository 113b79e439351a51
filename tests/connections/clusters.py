"""Eight topical clusters of ten invented projects each, for the precision test of similar members.

Every project is written on its own (same topic, different wording), each cluster in one of the
three working languages, and each set of categories is shared by two clusters, so categories alone
cannot tell them apart. Some texts drop their accents, as people typing fast do.
"""

WORK_INCLUSION = ["work-based-learning", "social-inclusion"]
DELIVERY_LIFE = ["training-delivery", "core-life-skills"]
DATA_GUIDANCE = ["research-data", "career-guidance"]
RPL_ENTERPRISE = ["rpl-certification", "entrepreneurship"]

# name: (language, categories, [(title, summary), ...])
CLUSTERS = {
    "refugee-apprenticeships": (
        "en",
        WORK_INCLUSION,
        [
            (
                "Apprenticeships for refugees in host-town workshops",
                "Young refugees learn a trade beside local craftsmen, earning a stipend while the "
                "workshop gets an extra pair of hands.",
            ),
            (
                "Refugee youth apprenticed to mechanics and carpenters",
                "We match displaced young people from the camps with garages and carpentry shops "
                "for a two-year apprenticeship.",
            ),
            (
                "From camp to workshop: trade apprenticeships for displaced youth",
                "Displaced teenagers spend four days a week with a master artisan and one day on "
                "language and numeracy.",
            ),
            (
                "Host community and refugee apprentices learning side by side",
                "Mixed groups of refugee and local apprentices train in small enterprises, which "
                "eases tension between newcomers and hosts.",
            ),
            (
                "Apprenticeship places for asylum seekers",
                "Asylum seekers waiting for a decision take up apprenticeship places in bakeries, "
                "salons and repair shops instead of waiting idle.",
            ),
            (
                "Master craftsmen mentoring refugee apprentices",
                "We pay master craftsmen a small fee to take on a refugee apprentice and coach "
                "them through the trade test.",
            ),
            (
                "Tailoring and welding apprenticeships in refugee settlements",
                "In the settlements, apprentices from refugee families learn tailoring or welding "
                "with workshop owners from the neighbouring town.",
            ),
            (
                "Learning a trade on the job after fleeing home",
                "Refugees who fled conflict are placed as apprentices with employers who agree to "
                "teach them on the job and keep them on.",
            ),
            (
                "Apprentice stipends for displaced young women",
                "Displaced girls and young women receive a monthly stipend while apprenticed to "
                "hairdressers, caterers and tailors in the host city.",
            ),
            (
                "Workshop apprenticeships bridging refugees into local trades",
                "Refugee apprentices gain a recognised trade through a placement with an artisan, "
                "helping them settle in the local economy.",
            ),
        ],
    ),
    "disability-internships": (
        "en",
        WORK_INCLUSION,
        [
            (
                "Paid internships for graduates with disabilities",
                "Companies host graduates who are blind, deaf or use a wheelchair for six-month "
                "paid internships with reasonable accommodation.",
            ),
            (
                "Accessible workplaces: internships for deaf and blind jobseekers",
                "We adapt offices with screen readers and sign interpreters so that deaf and blind "
                "interns can learn the job.",
            ),
            (
                "Job coaching during internships for people with intellectual disabilities",
                "A job coach accompanies each intern with an intellectual disability at the "
                "workplace until the tasks are mastered.",
            ),
            (
                "Wheelchair users interning in the hotel industry",
                "Hotels make ramps and workstations accessible and take wheelchair users as "
                "interns at reception and in reservations.",
            ),
            (
                "Supported traineeships for autistic young adults",
                "Autistic young adults join firms as trainees with a quiet workspace, clear "
                "routines and a mentor trained in disability inclusion.",
            ),
            (
                "Inclusive internship scheme with disability-confident employers",
                "Employers signed up as disability-confident offer internships and adjust "
                "recruitment so that candidates with impairments are not screened out.",
            ),
            (
                "Sign-language interpreters for deaf interns in factories",
                "Deaf interns on factory lines get a sign-language interpreter for the first weeks "
                "and supervisors learn basic signing.",
            ),
            (
                "Work placements with assistive technology for visually impaired youth",
                "Visually impaired young people are placed in offices with braille displays and "
                "magnifiers and learn administrative work.",
            ),
            (
                "Reasonable accommodation toolkit for companies hosting disabled interns",
                "Our toolkit helps companies adjust tasks, hours and equipment when they host an "
                "intern with a physical or sensory impairment.",
            ),
            (
                "Internships that turn into jobs for persons with disabilities",
                "Most of our interns with disabilities are hired by the host company once the "
                "accessible internship ends.",
            ),
        ],
    ),
    "microlearning-artisans": (
        "fr",
        DELIVERY_LIFE,
        [
            (
                "Micro-leçons sur téléphone pour artisans",
                "Des leçons de trois minutes envoyées par WhatsApp apprennent aux artisans à "
                "calculer un devis et à parler aux clients.",
            ),
            (
                "Formation par SMS pour les couturières",
                "Chaque jour, les couturières reçoivent un SMS avec une courte leçon et une "
                "question, et répondent depuis leur téléphone portable.",
            ),
            (
                "Capsules vidéo courtes pour menuisiers et maçons",
                "Des capsules vidéo de quelques minutes, regardées sur le téléphone, montrent aux "
                "menuisiers et aux maçons les gestes et la relation client.",
            ),
            (
                "Micro-apprentissage mobile pour les artisans du marché",
                "Les artisans du marché suivent des modules très courts sur mobile, à leur rythme, "
                "entre deux clients.",
            ),
            (
                "Leçons audio WhatsApp pour artisans non alphabétisés",
                "Pour les artisans qui lisent peu, les leçons sont des messages vocaux WhatsApp "
                "en langue locale, suivis d'un quiz oral.",
            ),
            (
                "Un module par jour sur le portable des artisanes",
                "Les artisanes apprennent la gestion de leur atelier grâce à un module quotidien "
                "de cinq minutes sur leur telephone portable.",
            ),
            (
                "Formation fractionnée sur smartphone pour les cordonniers",
                "Les cordonniers apprennent par petites séquences sur smartphone, avec des "
                "exercices pratiques à faire dans l'atelier.",
            ),
            (
                "Micro-formations mobiles et communication avec la clientèle",
                "Des micro-formations sur mobile renforcent la communication, la confiance en soi "
                "et l'accueil de la clientèle chez les artisans.",
            ),
            (
                "Apprendre en cinq minutes : leçons mobiles pour artisans ruraux",
                "Les artisans des villages reçoivent des leçons très courtes sur leur téléphone, "
                "même hors connexion, et échangent en groupe WhatsApp.",
            ),
            (
                "Quiz et micro-leçons par messagerie pour les artisans",
                "Une messagerie mobile envoie aux artisans des micro-leçons et des quiz sur le "
                "travail en équipe et la résolution de problèmes.",
            ),
        ],
    ),
    "vr-welding": (
        "fr",
        DELIVERY_LIFE,
        [
            (
                "Simulateur de soudage en réalité virtuelle",
                "Les apprentis soudeurs s'exercent sur un simulateur en réalité virtuelle avant "
                "de toucher au vrai poste à souder.",
            ),
            (
                "Casques de réalité virtuelle pour former les soudeurs",
                "Avec un casque de réalité virtuelle, les stagiaires répètent les cordons de "
                "soudure sans gaspiller métal ni électrodes.",
            ),
            (
                "Atelier virtuel de soudure pour lycées professionnels",
                "Un atelier de soudure virtuel permet aux élèves des lycées professionnels de "
                "s'entraîner en sécurité et de mesurer leurs progrès.",
            ),
            (
                "Réalité virtuelle et sécurité des soudeurs débutants",
                "Les débutants découvrent les risques du soudage à l'arc dans un environnement "
                "virtuel, puis passent à la pratique encadrée.",
            ),
            (
                "Simulation 3D du soudage pour réduire les coûts de formation",
                "La simulation en trois dimensions du soudage réduit la consommation de métal et "
                "de gaz dans les centres de formation.",
            ),
            (
                "Former les formateurs au simulateur de soudage virtuel",
                "Nous formons les formateurs à utiliser le simulateur virtuel et à évaluer les "
                "gestes de soudure enregistrés par le logiciel.",
            ),
            (
                "Entraînement immersif au soudage pour les jeunes femmes",
                "Des jeunes femmes s'initient au soudage grâce à un entraînement immersif en "
                "réalité virtuelle qui lève la peur de l'étincelle.",
            ),
            (
                "Evaluation des soudeurs par simulateur virtuel",
                "Le simulateur note la vitesse, l'angle et la distance de la torche, ce qui rend "
                "l'evaluation des soudeurs plus objective.",
            ),
            (
                "Soudure virtuelle dans un camion-école itinérant",
                "Un camion équipé de simulateurs de soudure en réalité virtuelle se rend dans les "
                "petites villes pour former les jeunes.",
            ),
            (
                "Du virtuel au réel : parcours de formation au soudage",
                "Les stagiaires commencent par le soudage virtuel, puis soudent de vraies pièces "
                "sous le regard d'un formateur.",
            ),
        ],
    ),
    "job-ads-observatory": (
        "es",
        DATA_GUIDANCE,
        [
            (
                "Observatorio de avisos de empleo en internet",
                "Recogemos cada semana miles de avisos de empleo publicados en portales para "
                "saber qué competencias piden las empresas.",
            ),
            (
                "Análisis de ofertas laborales en línea con inteligencia artificial",
                "Un modelo de inteligencia artificial clasifica las ofertas laborales publicadas "
                "en línea por ocupación y habilidades requeridas.",
            ),
            (
                "Tablero de demanda de habilidades a partir de vacantes digitales",
                "Extraemos las vacantes de las bolsas de trabajo digitales y mostramos en un "
                "tablero las habilidades más demandadas por región.",
            ),
            (
                "Minería de textos de anuncios de trabajo",
                "Aplicamos minería de textos a los anuncios de trabajo para detectar ocupaciones "
                "emergentes y habilidades que crecen en demanda.",
            ),
            (
                "Información del mercado laboral en tiempo real",
                "Con datos de portales de empleo actualizados cada día ofrecemos información del "
                "mercado laboral casi en tiempo real.",
            ),
            (
                "Las vacantes publicadas como fuente de datos sobre competencias",
                "Las vacantes publicadas en internet se convierten en una base de datos sobre las "
                "competencias que buscan los empleadores.",
            ),
            (
                "Rastreo web de ofertas de empleo para anticipar habilidades",
                "Un rastreador web descarga las ofertas de empleo y las compara mes a mes para "
                "anticipar qué habilidades faltarán.",
            ),
            (
                "Observatorio laboral basado en avisos clasificados",
                "El observatorio analiza los avisos clasificados de empleo y publica informes "
                "trimestrales sobre la demanda de ocupaciones.",
            ),
            (
                "Big data de vacantes para orientar la oferta formativa",
                "Procesamos grandes volumenes de vacantes en linea para que los centros de "
                "formacion ajusten sus cursos a la demanda.",
            ),
            (
                "Clasificación automática de ofertas de trabajo por ocupación",
                "Clasificamos automáticamente las ofertas de trabajo de los portales de empleo "
                "según la clasificación internacional de ocupaciones.",
            ),
        ],
    ),
    "guidance-chatbot": (
        "es",
        DATA_GUIDANCE,
        [
            (
                "Chatbot de orientación vocacional para estudiantes de secundaria",
                "Un chatbot conversa con los estudiantes de secundaria sobre sus intereses y les "
                "sugiere carreras y cursos técnicos.",
            ),
            (
                "Asistente virtual que ayuda a elegir una carrera",
                "Nuestro asistente virtual en WhatsApp hace preguntas a los jóvenes y les ayuda "
                "a elegir una carrera acorde a su perfil.",
            ),
            (
                "Orientación profesional por mensajería para jóvenes rurales",
                "Los jóvenes rurales reciben orientación profesional de un bot de mensajería que "
                "responde dudas sobre estudios y oficios.",
            ),
            (
                "Test vocacional conversacional en el celular",
                "Un test vocacional en forma de conversación en el celular descubre los intereses "
                "del estudiante y recomienda trayectorias.",
            ),
            (
                "Bot de consejería de carrera para colegios públicos",
                "Los colegios públicos sin consejero usan un bot de consejería que guía a los "
                "alumnos en la elección de su carrera.",
            ),
            (
                "Inteligencia conversacional para la orientación vocacional",
                "Un agente conversacional orienta a los adolescentes, les explica profesiones y "
                "los deriva a un orientador humano si lo necesitan.",
            ),
            (
                "Chatbot que acompaña la transición del colegio al trabajo",
                "El chatbot acompaña a quienes terminan el colegio en la decisión entre estudiar "
                "una carrera técnica o buscar empleo.",
            ),
            (
                "Orientacion vocacional automatizada para estudiantes",
                "Un asistente automatizado conversa con cada estudiante, identifica sus gustos y "
                "propone carreras y becas disponibles.",
            ),
            (
                "Consejero virtual de carreras para jóvenes indecisos",
                "Jóvenes que no saben qué estudiar chatean con un consejero virtual que explora "
                "sus intereses y muestra opciones de carrera.",
            ),
            (
                "Chat de orientación de carreras con información de ocupaciones",
                "El chat de orientación responde preguntas de los alumnos sobre qué se estudia en "
                "cada carrera y cómo es el trabajo.",
            ),
        ],
    ),
    "motorbike-rpl": (
        "en",
        RPL_ENTERPRISE,
        [
            (
                "Certifying self-taught motorcycle mechanics",
                "Motorcycle mechanics who learned by doing are assessed at their roadside garage "
                "and receive a national certificate.",
            ),
            (
                "Recognition of prior learning for boda-boda repairers",
                "Boda-boda repairers demonstrate their skills on real motorbikes and get their "
                "prior learning recognised with a trade certificate.",
            ),
            (
                "Skills tests for informal motorbike technicians",
                "Informal motorbike technicians sit a practical skills test on engines and brakes "
                "to earn a formal qualification.",
            ),
            (
                "A certificate for the mechanics who keep motorcycle taxis running",
                "We assess the mechanics who service motorcycle taxis and certify the skills they "
                "gained without any formal schooling.",
            ),
            (
                "Assessing engine repair skills learned on the street",
                "Assessors observe street mechanics repairing motorcycle engines and award "
                "credentials for the competencies they already have.",
            ),
            (
                "RPL pathway for two-wheeler repair workers",
                "Two-wheeler repair workers follow an RPL pathway: a portfolio of jobs done, an "
                "observed repair and a certificate.",
            ),
            (
                "Garage-based assessment of motorcycle mechanics",
                "Instead of sending them to a college, we bring the assessment to the garage and "
                "certify motorcycle mechanics where they work.",
            ),
            (
                "Recognising the know-how of informal motorbike repairers",
                "Informal repairers of motorbikes get their know-how recognised, which lets them "
                "bid for fleet maintenance contracts.",
            ),
            (
                "Certified motorcycle repair for safer taxis",
                "Certifying the mechanics who repair motorcycle taxis improves brakes and lights "
                "and gives the mechanics a recognised qualification.",
            ),
            (
                "Portfolio assessment for experienced motorcycle mechanics",
                "Experienced motorcycle mechanics build a photo portfolio of their repairs, which "
                "assessors review before the final certificate.",
            ),
        ],
    ),
    "shea-incubator": (
        "fr",
        RPL_ENTERPRISE,
        [
            (
                "Incubateur pour les transformatrices de karité",
                "Les femmes qui transforment les noix de karité en beurre apprennent à gérer leur "
                "petite entreprise et à vendre à l'export.",
            ),
            (
                "Coopératives de beurre de karité : gestion et commercialisation",
                "Nous accompagnons les coopératives de femmes productrices de beurre de karité "
                "dans la gestion, l'emballage et la vente.",
            ),
            (
                "Du fruit au cosmétique : entreprises de karité des femmes",
                "Les productrices de karité créent des savons et des crèmes et apprennent à fixer "
                "leurs prix et à trouver des clients.",
            ),
            (
                "Accompagnement entrepreneurial des femmes du karité",
                "Un accompagnement de douze mois aide les femmes du karité à tenir leurs comptes, "
                "obtenir un crédit et développer leur entreprise.",
            ),
            (
                "Label qualité et marché pour le beurre de karité",
                "Les transformatrices obtiennent un label de qualité pour leur beurre de karité "
                "et accèdent à de nouveaux marchés.",
            ),
            (
                "Incubation de microentreprises de karite en milieu rural",
                "Dans les villages, les microentreprises de karite des femmes sont incubees : "
                "plan d'affaires, equipement et vente groupee.",
            ),
            (
                "Femmes entrepreneures du karité et commerce en ligne",
                "Les entrepreneures du karité apprennent à vendre leur beurre et leurs cosmétiques "
                "en ligne et à gérer les commandes.",
            ),
            (
                "Presses à karité partagées et gestion d'entreprise",
                "Des presses à karité partagées réduisent la pénibilité, et les femmes se forment "
                "à la gestion de leur activité commerciale.",
            ),
            (
                "Mentorat d'affaires pour les groupements de karité",
                "Des mentors d'affaires conseillent les groupements féminins de karité sur les "
                "prix, la trésorerie et les contrats avec les acheteurs.",
            ),
            (
                "Transformer le karité, créer son entreprise",
                "Notre programme aide les jeunes femmes à lancer une entreprise de transformation "
                "du karité, de l'achat des amandes à la vente du beurre.",
            ),
        ],
    ),
}
