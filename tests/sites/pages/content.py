"""What the fixture publishers print: four sites and their stories, as plain data.

Times carry each site's own UTC offset. Paths are relative to a site's base URL, which the
Publisher assigns at start-up (its own loopback address and a free port).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

UTC0 = UTC
NEW_YORK = timezone(timedelta(hours=-5))
SYDNEY = timezone(timedelta(hours=11))
TOKYO = timezone(timedelta(hours=9))


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    language: str
    tz: timezone
    main_format: str  # the format of the feed the home page announces (or serves at /feed)
    announces_feed: bool = True  # False: no <link rel="alternate">, feed only at /feed
    extra_formats: tuple[str, ...] = ()  # also announced on the home page
    tagline: str = ""


@dataclass(frozen=True)
class Figure:
    src: str
    caption: str
    credit: str


@dataclass(frozen=True)
class Teaser:
    """One item of a "more stories" strip, printed like the seed's: title, dateline, excerpt."""

    title: str
    when: datetime
    excerpt: str
    short_excerpt: str = ""  # the truncated copy some themes print right after the excerpt


@dataclass
class Story:
    site: str
    guid: str
    path: str
    headline: str
    published: datetime
    authors: list[str]
    paragraphs: list[str]
    section: str = "News"
    summary: str = ""  # teaser for feeds and meta description; default: first paragraph
    figure: Figure | None = None
    tags: list[str] = field(default_factory=list)
    updated: datetime | None = None
    feed_title: str | None = None  # when the feed names the story differently from the page
    related: list[Teaser] = field(default_factory=list)
    group: str = ""  # which test scenario the story belongs to

    @property
    def teaser(self) -> str:
        return self.summary or self.paragraphs[0]


SITES = {
    "daily-planet": Site(
        "daily-planet",
        "Daily Planet",
        "en",
        UTC0,
        "rss20",
        extra_formats=("atom10",),
        tagline="News from around the world",
    ),
    "northern-courier": Site(
        "northern-courier",
        "Northern Courier",
        "en",
        NEW_YORK,
        "atom10",
        announces_feed=False,
        tagline="The north's own paper",
    ),
    "harbour-gazette": Site(
        "harbour-gazette",
        "Harbour Gazette",
        "en",
        SYDNEY,
        "json11",
        extra_formats=("rss10",),
        tagline="Independent journalism since 1871",
    ),
    "tokyo-shimbun": Site(
        "tokyo-shimbun", "Tokyo Shimbun", "ja", TOKYO, "rss10", tagline="東京の今を伝える"
    ),
}

# --- the seed: a BBC story as an aggregator printed it (../shared/seed/) ------------------------

SEED_PARAGRAPHS = [
    "The US and Russian leaders will discuss Ukraine amid mounting concerns about a possible "
    "Russian invasion.",
    "US President Joe Biden and Russia’s Vladimir Putin will speak via video call on Tuesday, the "
    "Kremlin says, amid mounting tensions over Ukraine.",
    "It comes after Secretary of State Antony Blinken said the US had evidence that Russia had "
    "made plans for a “large scale” attack on Ukraine.",
    "He said it was unclear if Mr Putin had made a final decision to invade.",
    "Russia has denied any such intention, and accused Ukraine of executing its own troop "
    "build-up.",
    "Ukraine says Russia has deployed armoured vehicles, electronic warfare systems and 94,000 "
    "troops along their shared border.",
    "It is the largest massing of Russian forces on its borders since it annexed Crimea from "
    "Ukraine in 2014.",
    "Citing intelligence reports, Ukraine’s Defence Minister Oleksii Reznikov said Moscow could be "
    "planning a military offensive at the end of January.",
    "The Russian troop movement has strained already tense relations between Russia and the US.",
    "On Friday, Mr Biden warned he would make it “very, very difficult” for Mr Putin to “go ahead "
    "and do what people are worried he may do”.",
    "The US and its European allies have discussed imposing sanctions on Russia if it takes "
    "aggressive action.",
    "While Ukraine is not a Nato member, it has close ties with the bloc and has received Western "
    "weapons including US Javelin anti-tank missiles.",
    "Russian officials have denied any plans for an invasion, and say the border troops are there "
    "for military exercises. Moscow has accused Nato of engaging in provocative behaviour by "
    "holding drills in the Black Sea, off Crimea.",
    "This week Britain’s most senior military officer said “we have to be on our guard” about the "
    "potential for conflict in the region.",
    "Gen Sir Nick Carter told the BBC that he “distinctly hoped” there would not be a war with "
    "Russia, but added that Nato would have to be ready for that eventuality.",
    "Tensions between Russia and Ukraine are nothing new. In 2014 Russia annexed Ukraine’s "
    "Crimean Peninsula and soon after started to back a separatist insurgency in Ukraine’s east.",
    "More recently, Ukraine’s President Volodymyr Zelensky has imposed sanctions on a powerful "
    "friend of President Putin and banned broadcasts by three pro-Russian TV stations.",
    "Presidents Biden and Putin held their only face-to-face talks in Geneva in June. Reuters "
    "reports that their last phone call was on 9 July.",
]

SEED_RELATED = [
    Teaser(
        "Rugby League World Cup: Dominic Young set for England debut against Samoa",
        datetime(2022, 10, 13, 11, 40, tzinfo=UTC0),
        "Winger Dominic Young is preferred to England's leading try-scorer Ryan Hall for "
        "Saturday's game against Samoa in Newcastle.",
        "Winger Dominic Young is preferred to England's...",
    ),
    Teaser(
        "The 11-year-old piano prodigy with Mozart-level talent",
        datetime(2023, 1, 11, 3, 49, tzinfo=UTC0),
        "Jude's talent caught the attention of a piano tuner who surprised him with an amazing "
        "gift.",
        "Jude's talent caught the attention of a piano tuner...",
    ),
    Teaser(
        "The Papers: MP safety review and terror cops probe death",
        datetime(2021, 10, 15, 21, 28, tzinfo=UTC0),
        "The killing of Tory MP Sir David Amess, stabbed at his constituency surgery, leads the "
        "front pages.",
    ),
    Teaser(
        "World Triathlon Championship Series: Georgia Taylor-Brown wins gold in Montreal",
        datetime(2022, 6, 25, 21, 56, tzinfo=UTC0),
        "Great Britain's Georgia Taylor-Brown wins gold in the World Triathlon Championship Series "
        "in Montreal.",
        "Great Britain's Georgia Taylor-Brown wins gold in the World Triathlon Championship...",
    ),
    Teaser(
        "Foxtons boss: Struggling renters have to move further out of London",
        datetime(2023, 3, 7, 13, 36, tzinfo=UTC0),
        "The boss of London's biggest estate agency says a lack of available properties is "
        "driving people further out.",
        "Image source, Getty ImagesThe boss of London's...",
    ),
]

SEED = Story(
    site="daily-planet",
    guid="tag:daily-planet.example,2021:1204",
    path="/world/2021/12/04/biden-and-putin-to-hold-call-amid-ukraine-invasion-fears",
    headline="Biden and Putin to hold call amid Ukraine invasion fears",
    published=datetime(2021, 12, 4, 18, 53, tzinfo=UTC0),
    authors=[],
    paragraphs=SEED_PARAGRAPHS,
    section="World",
    figure=Figure("/img/eastern-ukraine-map.png", "Eastern Ukraine map", "BBC"),
    tags=["Ukraine", "Russia", "United States"],
    related=SEED_RELATED,
    group="seed",
)

# --- one wire story, printed by three outlets under their own headlines -------------------------

WIRE_PARAGRAPHS = [
    "Pilots at the regional airline Nordair have voted overwhelmingly to strike over pay, their "
    "union said on Tuesday, threatening weeks of disruption for passengers across the north.",
    "The British Airline Pilots' Union said 93% of members who took part in the ballot backed "
    "walkouts, on a turnout of 81%.",
    "The union said pilots had been offered a rise of 4% this year after two years in which their "
    "pay was frozen, while the airline returned to profit.",
    "Nordair said it was disappointed by the result and remained open to talks, adding that it "
    "would publish a revised schedule if strike dates were announced.",
    "No dates have yet been set. The union must give the airline two weeks' notice of any action.",
    "The airline carried 4.2 million passengers last year on routes linking 23 airports.",
]

WIRE = [
    Story(
        site="daily-planet",
        guid="tag:daily-planet.example,2024:0312-nordair",
        path="/business/2024/03/12/nordair-pilots-vote-to-strike",
        headline="Nordair pilots vote to strike over pay",
        published=datetime(2024, 3, 12, 9, 15, tzinfo=UTC0),
        authors=["Anna Novak"],
        paragraphs=WIRE_PARAGRAPHS,
        section="Business",
        tags=["Aviation", "Strikes"],
        group="wire",
    ),
    Story(
        site="northern-courier",
        guid="tag:northern-courier.example,2024:88213",
        path="/news/nordair-strike-ballot",
        headline="Summer of disruption looms as Nordair pilots back walkouts",
        published=datetime(2024, 3, 12, 5, 40, tzinfo=NEW_YORK),
        authors=["Mark Ellis"],
        paragraphs=WIRE_PARAGRAPHS,
        tags=["Travel"],
        group="wire",
    ),
    Story(
        site="harbour-gazette",
        guid="https://harbour-gazette.example/a/51120",
        path="/world/europe/nordair-pilots-strike-vote-51120",
        headline="European airline Nordair faces pilot strikes after pay ballot",
        published=datetime(2024, 3, 12, 21, 5, tzinfo=SYDNEY),
        authors=["Olivia Grant"],
        paragraphs=WIRE_PARAGRAPHS,
        section="World",
        group="wire",
    ),
]

# --- one event, covered by each outlet in its own words -----------------------------------------

STORM = [
    Story(
        site="daily-planet",
        guid="tag:daily-planet.example,2024:0312-storm-elin",
        path="/uk/2024/03/12/storm-elin-leaves-40000-homes-without-power",
        headline="Storm Elin leaves 40,000 homes without power",
        published=datetime(2024, 3, 12, 7, 30, tzinfo=UTC0),
        authors=["Tom Hughes"],
        paragraphs=[
            "About 40,000 homes across the north east were without power on Tuesday morning after "
            "Storm Elin brought gusts of up to 90mph overnight.",
            "Northern Powergrid said engineers were working to reconnect customers but warned "
            "that some rural properties might not be back on supply until Wednesday.",
            "The Met Office had issued an amber wind warning for the coast between Berwick and "
            "Whitby, where the strongest gusts were recorded at Tynemouth.",
            "Several trains were cancelled and the Tyne Bridge was closed to high-sided vehicles.",
        ],
        section="UK",
        figure=Figure(
            "/img/storm-elin-tynemouth.jpg",
            "Waves break over the pier at Tynemouth",
            "Photograph: Owen Humphreys/PA",
        ),
        tags=["Weather", "Storm Elin"],
        group="storm-elin",
    ),
    Story(
        site="northern-courier",
        guid="tag:northern-courier.example,2024:88190",
        path="/news/storm-elin-tynemouth-gusts",
        headline="Night of 90mph gusts: how Storm Elin battered the coast",
        published=datetime(2024, 3, 12, 3, 10, tzinfo=NEW_YORK),
        authors=["Jess Armstrong", "Paul Reid"],
        paragraphs=[
            "Residents of Tynemouth described a sleepless night as Storm Elin tore roof tiles from "
            "houses and toppled trees along the sea front.",
            "Gusts reached 90mph at the mouth of the Tyne, according to the Met Office, which had "
            "put an amber warning in place from Berwick to Whitby.",
            "By dawn Northern Powergrid said 40,000 customers had lost electricity, many of them "
            "in Northumberland villages.",
            "Coastguards urged people to stay away from the piers as waves of up to eight metres "
            "broke over the harbour walls.",
            "The storm is expected to move out into the North Sea by Wednesday afternoon.",
        ],
        tags=["Weather"],
        group="storm-elin",
    ),
    Story(
        site="harbour-gazette",
        guid="https://harbour-gazette.example/a/51101",
        path="/world/europe/storm-elin-uk-power-cuts-51101",
        headline="UK storm cuts power to tens of thousands",
        published=datetime(2024, 3, 12, 19, 45, tzinfo=SYDNEY),
        authors=["Mei Lin"],
        paragraphs=[
            "A powerful storm named Elin has swept across northern England, cutting electricity "
            "to 40,000 homes and disrupting rail services.",
            "Britain's Met Office said wind speeds peaked at 90mph in Tynemouth, near Newcastle.",
            "Power company Northern Powergrid said it hoped to restore most supplies within a day.",
        ],
        section="World",
        group="storm-elin",
    ),
]

# --- two different earthquakes on one day ------------------------------------------------------

QUAKES = [
    Story(
        site="daily-planet",
        guid="tag:daily-planet.example,2024:0313-peru-quake",
        path="/world/2024/03/13/magnitude-6-3-earthquake-strikes-southern-peru",
        headline="Magnitude 6.3 earthquake strikes southern Peru",
        published=datetime(2024, 3, 13, 13, 20, tzinfo=UTC0),
        authors=["Lucia Ramos"],
        paragraphs=[
            "A magnitude 6.3 earthquake struck southern Peru on Wednesday, shaking buildings in "
            "the city of Arequipa and sending residents into the streets.",
            "The US Geological Survey said the quake hit at a depth of 35km, about 60km north-west "
            "of Arequipa, at 07:40 local time.",
            "Peru's civil defence institute said adobe houses had collapsed in two villages in the "
            "Caylloma province and that a church tower was damaged in Chivay.",
            "There were no immediate reports of deaths. Peru sits on the Pacific Ring of Fire.",
        ],
        section="World",
        tags=["Peru", "Earthquakes"],
        group="quake-peru",
    ),
    Story(
        site="northern-courier",
        guid="tag:northern-courier.example,2024:88302",
        path="/news/peru-earthquake-arequipa",
        headline="Arequipa shaken by strong quake; villages hit",
        published=datetime(2024, 3, 13, 9, 5, tzinfo=NEW_YORK),
        authors=["Rosa Quispe"],
        paragraphs=[
            "Homes made of adobe collapsed in the Caylloma province of Peru after a strong "
            "earthquake shook the Arequipa region early on Wednesday.",
            "The USGS put the magnitude at 6.3. The tremor was felt as far away as Cusco.",
            "Rescue teams were sent to Chivay, where the bell tower of a colonial church cracked.",
        ],
        tags=["Earthquakes"],
        group="quake-peru",
    ),
    Story(
        site="daily-planet",
        guid="tag:daily-planet.example,2024:0313-turkey-quake",
        path="/world/2024/03/13/earthquake-hits-eastern-turkey",
        headline="Magnitude 5.6 earthquake hits eastern Turkey",
        published=datetime(2024, 3, 13, 16, 2, tzinfo=UTC0),
        authors=["Can Demir"],
        paragraphs=[
            "A magnitude 5.6 earthquake hit Malatya province in eastern Turkey on Wednesday, "
            "damaging buildings already weakened by last year's disaster.",
            "Turkey's disaster agency AFAD said the quake struck at a depth of 7km near the town "
            "of Yesilyurt at 18:02 local time.",
            "Interior Minister Ali Yerlikaya said 12 people had been injured jumping from "
            "windows and balconies, and that three empty buildings had collapsed.",
            "Schools in the province will stay closed on Thursday while engineers inspect them.",
        ],
        section="World",
        tags=["Turkey", "Earthquakes"],
        group="quake-turkey",
    ),
    Story(
        site="harbour-gazette",
        guid="https://harbour-gazette.example/a/51140",
        path="/world/asia/turkey-malatya-earthquake-51140",
        headline="Quake injures 12 in Turkey's Malatya",
        published=datetime(2024, 3, 14, 4, 30, tzinfo=SYDNEY),
        authors=["Olivia Grant"],
        paragraphs=[
            "Twelve people were hurt when a magnitude 5.6 earthquake shook Malatya in eastern "
            "Turkey, the AFAD disaster agency said.",
            "Three abandoned buildings in Yesilyurt collapsed, Interior Minister Ali Yerlikaya "
            "said. Most of the injured had jumped from windows in panic.",
            "Malatya was among the provinces worst hit by the earthquakes of February 2023.",
        ],
        section="World",
        group="quake-turkey",
    ),
]

# --- other news: every site has more than the shared stories ----------------------------------

OTHER = [
    Story(
        site="daily-planet",
        guid="tag:daily-planet.example,2024:0311-cycle-lanes",
        path="/uk/2024/03/11/council-approves-city-centre-cycle-lanes",
        headline="Council approves city centre cycle lanes",
        published=datetime(2024, 3, 11, 17, 0, tzinfo=UTC0),
        authors=["Priya Shah"],
        paragraphs=[
            "Councillors have approved plans for four kilometres of protected cycle lanes through "
            "the city centre, despite objections from some traders.",
            "The scheme, funded by a £6m government grant, will remove 140 parking spaces on "
            "Grainger Street and Blackett Street.",
            "Work is due to start in June and finish before the end of the year.",
        ],
        section="UK",
        tags=["Transport"],
        group="other",
    ),
    Story(
        site="northern-courier",
        guid="tag:northern-courier.example,2024:88150",
        path="/sport/harriers-win-county-cup",
        headline="Harriers lift county cup after penalty drama",
        published=datetime(2024, 3, 10, 16, 55, tzinfo=NEW_YORK),
        authors=["Sam Pike"],
        paragraphs=[
            "Blyth Harriers won the county cup for the first time in 31 years, beating Alnwick "
            "Town 5-4 on penalties after a 2-2 draw.",
            "Goalkeeper Dan Ord saved two spot-kicks in front of a crowd of 2,300.",
            "The Harriers now face a trip to Gateshead in the regional shield.",
        ],
        section="Sport",
        tags=["Football"],
        group="other",
    ),
    Story(
        site="harbour-gazette",
        guid="https://harbour-gazette.example/a/51090",
        path="/local/ferry-timetable-changes-51090",
        headline="Ferry timetable changes from April",
        published=datetime(2024, 3, 12, 8, 0, tzinfo=SYDNEY),
        authors=["Mei Lin"],
        paragraphs=[
            "Harbour ferries will run every 15 minutes at peak times from April 1 under a new "
            "timetable announced by the state transport agency.",
            "Late-night services on the eastern route will be cut from hourly to every 90 minutes.",
        ],
        section="Local",
        group="other",
    ),
]

# --- CJK ------------------------------------------------------------------------------------------

CJK = [
    Story(
        site="tokyo-shimbun",
        guid="tag:tokyo-shimbun.example,2024:20240314-sakura",
        path="/article/20240314-sakura",
        headline="東京で桜が開花　平年より5日早く",
        published=datetime(2024, 3, 14, 14, 5, tzinfo=TOKYO),
        authors=["山田 花子"],
        paragraphs=[
            "気象庁は14日、東京都心で桜（ソメイヨシノ）が開花したと発表した。平年より5日早く、"
            "昨年より1日遅い。",
            "靖国神社にある標本木で、気象庁の職員が5輪以上の花が咲いているのを確認した。",
            "満開は1週間ほど後になる見込みで、上野公園などでは週末に多くの花見客が訪れそうだ。",
            "今年は2月の気温が平年を大きく上回り、つぼみの生育が早く進んだ。一方、3月上旬には"
            "寒の戻りがあり、開花の予想日は一時、後ろにずれ込んでいた。",
            "都内の公園では、花見の場所取りや夜間の宴会を制限する取り組みも続く。上野公園を管理する"
            "都の担当者は「ごみは必ず持ち帰り、周りの人に配慮して楽しんでほしい」と呼びかけている。",
        ],
        section="社会",
        tags=["桜", "気象"],
        group="cjk",
    ),
    Story(
        site="tokyo-shimbun",
        guid="tag:tokyo-shimbun.example,2024:20240313-subway",
        path="/article/20240313-subway",
        headline="都営地下鉄に新型車両　来年春から運行",
        published=datetime(2024, 3, 13, 10, 30, tzinfo=TOKYO),
        authors=["佐藤 健"],
        paragraphs=[
            "東京都交通局は13日、都営浅草線に新型車両を導入すると発表した。来年春から順次運行を"
            "始める。",
            "新型車両は車内の防犯カメラを増やし、車いすスペースを各車両に設ける。",
            "交通局によると、新型車両は現在の車両に比べて消費電力を約2割減らせる。座席の幅も"
            "広げ、混雑時の乗り降りをしやすくするため、ドア付近の空間を拡大した。",
            "導入費用は総額で約300億円を見込む。交通局は2030年度までに浅草線の全ての車両を新型に"
            "置き換える計画だ。",
        ],
        section="都市",
        group="cjk",
    ),
]

STORIES: list[Story] = [SEED, *WIRE, *STORM, *QUAKES, *OTHER, *CJK]
