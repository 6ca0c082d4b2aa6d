"""Reference data from DOMAIN.md: codes are stable, names are seeded once and then belong to
the organizers (the seed never overwrites an edited name)."""

# (code, Kyrgyz, Russian)
REGIONS: list[tuple[str, str, str]] = [
    ("batken", "Баткен облусу", "Баткенская область"),
    ("jalal-abad", "Жалал-Абад облусу", "Джалал-Абадская область"),
    ("issyk-kul", "Ысык-Көл облусу", "Иссык-Кульская область"),
    ("naryn", "Нарын облусу", "Нарынская область"),
    ("osh-region", "Ош облусу", "Ошская область"),
    ("talas", "Талас облусу", "Таласская область"),
    ("chuy", "Чүй облусу", "Чуйская область"),
    ("bishkek", "Бишкек шаары", "город Бишкек"),
    ("osh", "Ош шаары", "город Ош"),
    ("national", "Бүткүл өлкө", "Вся страна"),
    ("abroad", "Чет өлкөдө (мекендештер)", "За рубежом (соотечественники)"),
]
# Proposals may apply to the whole country; nobody lives "nationally".
NOT_RESIDENCE = {"national"}

TOPICS: list[tuple[str, str, str]] = [
    ("agriculture", "Айыл чарба", "Сельское хозяйство"),
    ("water", "Суу жана сугат", "Вода и ирригация"),
    ("energy", "Энергетика", "Энергетика"),
    ("transport", "Транспорт жана логистика", "Транспорт и логистика"),
    ("tourism", "Туризм", "Туризм"),
    ("industry", "Өнөр жай, анын ичинде жеңил өнөр жай", "Промышленность, в т.ч. лёгкая"),
    ("business", "Ишкердик жана инвестициялар", "Предпринимательство и инвестиции"),
    (
        "innovation",
        "Инновациялар жана интеллектуалдык менчик",
        "Инновации и интеллектуальная собственность",
    ),
    ("education", "Билим берүү жана илим", "Образование и наука"),
    (
        "social",
        "Саламаттык сактоо жана социалдык коргоо",
        "Здравоохранение и социальная защита",
    ),
    ("migration", "Миграция жана мекендештер", "Миграция и соотечественники"),
    ("local-government", "Жергиликтүү өз алдынча башкаруу", "Местное самоуправление"),
    ("border", "Чек ара аймактары жана коопсуздук", "Приграничные территории и безопасность"),
    ("ecology", "Экология жана өзгөчө кырдаалдар", "Экология и чрезвычайные ситуации"),
    ("culture", "Маданият, тил жана маалымат", "Культура, язык и СМИ"),
    ("other", "Башка", "Другое"),
]

STAKEHOLDER_CATEGORIES: list[tuple[str, str, str]] = [
    ("state-body", "Мамлекеттик орган", "Государственный орган"),
    (
        "local-government",
        "Жергиликтүү өз алдынча башкаруу органы",
        "Орган местного самоуправления",
    ),
    ("public-council", "Коомдук кеңеш", "Общественный совет"),
    (
        "civil-society",
        "Жарандык коом, коммерциялык эмес уюм",
        "Гражданское общество, НКО",
    ),
    (
        "international",
        "Эл аралык уюм же долбоор",
        "Международная организация или проект",
    ),
    ("business", "Бизнес", "Бизнес"),
    ("academia", "Илим жана билим берүү", "Наука и образование"),
    ("student", "Студент", "Студент"),
    ("media", "ЖМК, журналист, блогер", "СМИ, журналист, блогер"),
    ("expert", "Эксперт", "Эксперт"),
    ("diaspora", "Чет өлкөдөгү мекендеш", "Соотечественник за рубежом"),
    ("citizen", "Жаран", "Гражданин"),
]

# Quick picks for people living abroad; "other" means the person types the country.
COUNTRIES: list[tuple[str, str, str]] = [
    ("RU", "Россия", "Россия"),
    ("KZ", "Казакстан", "Казахстан"),
    ("TR", "Түркия", "Турция"),
    ("KR", "Корея Республикасы", "Республика Корея"),
    ("US", "АКШ", "США"),
    ("DE", "Германия", "Германия"),
    ("GB", "Улуу Британия", "Великобритания"),
    ("AE", "БАЭ", "ОАЭ"),
    ("UZ", "Өзбекстан", "Узбекистан"),
]

EVENT_KINDS: list[tuple[str, str, str]] = [
    ("dialogue", "Диалог", "Диалог"),
    ("forum", "Форум", "Форум"),
    ("open-platform", "Ачык маектешүү аянтчасы", "Открытая диалоговая площадка"),
    ("roundtable", "Тегерек стол", "Круглый стол"),
    ("public-hearing", "Коомдук угуу", "Общественные слушания"),
    ("session", "Отурум", "Заседание"),
]

# (code, Kyrgyz, Russian, default topics)
AGENCIES: list[tuple[str, str, str, list[str]]] = [
    (
        "minec",
        "Экономика жана коммерция министрлиги",
        "Министерство экономики и коммерции",
        ["business", "industry", "tourism"],
    ),
    (
        "minedu",
        "Билим берүү жана илим министрлиги",
        "Министерство образования и науки",
        ["education"],
    ),
    (
        "kyrgyzpatent",
        "Интеллектуалдык менчик жана инновациялар мамлекеттик агенттиги (Кыргызпатент)",
        "Государственное агентство интеллектуальной собственности и инноваций (Кыргызпатент)",
        ["innovation"],
    ),
    (
        "minagro",
        "Айыл чарба министрлиги",
        "Министерство сельского хозяйства",
        ["agriculture", "water"],
    ),
    ("minenergy", "Энергетика министрлиги", "Министерство энергетики", ["energy"]),
    (
        "mintrans",
        "Транспорт жана коммуникациялар министрлиги",
        "Министерство транспорта и коммуникаций",
        ["transport"],
    ),
    (
        "minlabor",
        "Эмгек, социалдык камсыздоо жана миграция министрлиги",
        "Министерство труда, социального обеспечения и миграции",
        ["social", "migration"],
    ),
    ("mfa", "Тышкы иштер министрлиги", "Министерство иностранных дел", []),
    (
        "mineco",
        "Жаратылыш ресурстары, экология жана техникалык көзөмөл министрлиги",
        "Министерство природных ресурсов, экологии и технического надзора",
        ["ecology"],
    ),
    (
        "minculture",
        "Маданият, маалымат жана жаштар саясаты министрлиги",
        "Министерство культуры, информации и молодёжной политики",
        ["culture"],
    ),
]

# Agencies' names for buttons and lists: (Kyrgyz, Russian), the forms people use.
AGENCY_SHORT_NAMES: dict[str, tuple[str, str]] = {
    "minec": ("Экономика министрлиги", "Минэкономики"),
    "minedu": ("Билим берүү министрлиги", "Минобрнауки"),
    "kyrgyzpatent": ("Кыргызпатент", "Кыргызпатент"),
    "minagro": ("Айыл чарба министрлиги", "Минсельхоз"),
    "minenergy": ("Энергетика министрлиги", "Минэнерго"),
    "mintrans": ("Транспорт министрлиги", "Минтранс"),
    "minlabor": ("Эмгек министрлиги", "Минтруда"),
    "mfa": ("Тышкы иштер министрлиги", "МИД"),
    "mineco": ("Жаратылыш ресурстары министрлиги", "Минприроды"),
    "minculture": ("Маданият министрлиги", "Минкультуры"),
}

# The time zone of each quick-pick country (its capital's or its largest diaspora city's);
# a person may choose another in /profile.
COUNTRY_ZONES: dict[str, str] = {
    "RU": "Europe/Moscow",
    "KZ": "Asia/Almaty",
    "TR": "Europe/Istanbul",
    "KR": "Asia/Seoul",
    "US": "America/New_York",
    "DE": "Europe/Berlin",
    "GB": "Europe/London",
    "AE": "Asia/Dubai",
    "UZ": "Asia/Tashkent",
}

# The zones offered in /profile: Bishkek first, then where compatriots live.
TIME_ZONES: list[str] = [
    "Asia/Bishkek",
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Almaty",
    "Asia/Tashkent",
    "Europe/Istanbul",
    "Asia/Seoul",
    "Asia/Dubai",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
]
