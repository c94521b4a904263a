internal import Foundation

/// Titles and descriptions of generated postings, as job boards in Japan and Korea write them:
/// the occupation in the local language (popular ones far more often, a Zipf law), a handful of
/// stock phrases, a place, an English version on one posting in three, and now and then a rare
/// trade — so a search benchmark has common terms matching a quarter of the catalog and rare ones
/// matching a few dozen postings in a million.
extension SyntheticCatalog {
    /// Words of each kind, for queries that should match many postings or few.
    public enum Vocabulary {
        public static let japaneseOccupations = ["介護職員", "溶接工", "建設作業員", "食品製造スタッフ", "倉庫内作業員", "農業スタッフ", "清掃スタッフ",
                                                 "ホテル接客係", "調理補助", "自動車整備士", "電子部品組立工", "縫製スタッフ", "造船作業員", "漁業スタッフ",
                                                 "塗装工", "鉄筋工", "型枠大工", "とび職", "配管工", "電気工事士"]
        public static let japanesePhrases = ["未経験歓迎", "寮完備", "社会保険完備", "交通費支給", "週休二日制", "残業少なめ", "資格取得支援あり",
                                             "日本語能力試験N3以上", "特定技能", "技能実習修了者歓迎", "昇給あり", "賞与年2回", "日勤のみ", "夜勤あり", "送迎あり"]
        public static let japaneseRareTrades = ["宮大工", "潜水士", "杜氏", "鷹匠", "刀匠", "漆職人", "茅葺き職人", "和紙職人", "能面師", "畳職人"]
        public static let koreanOccupations = ["요양보호사", "용접공", "건설 현장 근로자", "식품 제조원", "물류 창고 작업자", "농업 근로자", "청소원",
                                               "호텔 서비스직", "조리 보조", "자동차 정비사", "전자 부품 조립원", "봉제원", "조선소 근로자", "어업 근로자",
                                               "도장공", "철근공", "목수", "배관공", "전기 기사"]
        public static let koreanPhrases = ["초보 환영", "기숙사 제공", "4대 보험 가입", "교통비 지원", "주 5일 근무", "야근 적음", "자격증 취득 지원",
                                           "한국어능력시험 3급 이상", "상여금 지급", "통근 버스 운행", "중식 제공"]
        public static let koreanRareTrades = ["잠수사", "한지 장인", "옹기 장인", "도편수", "나전칠기 장인", "매사냥꾼"]
        public static let englishOccupations = ["caregiver", "welder", "construction worker", "food processing operator", "warehouse associate",
                                                "farm worker", "cleaner", "hotel staff", "kitchen assistant", "automotive mechanic",
                                                "electronics assembler", "sewing operator", "shipyard worker", "fishery worker", "painter",
                                                "rebar worker", "carpenter", "plumber", "electrician"]
        public static let englishPhrases = ["no experience required", "dormitory provided", "social insurance", "transportation allowance",
                                            "visa sponsorship", "overtime pay", "training provided", "day shift only"]
        public static let englishRareTrades = ["glassblower", "farrier", "saturation diver", "thatcher", "luthier", "falconer"]
        static let places = ["Tokyo": "東京都", "Kanagawa": "神奈川県", "Osaka": "大阪府", "Aichi": "愛知県", "Fukuoka": "福岡県", "Hokkaido": "北海道",
                             "Saitama": "埼玉県", "Hyogo": "兵庫県", "Seoul": "서울", "Incheon": "인천", "Busan": "부산", "Gyeonggi": "경기도",
                             "Ulsan": "울산", "Daejeon": "대전"]
    }

    /// One in this many postings names a rare trade.
    static let rareTradeOneIn = 2_000
    static let occupationWeights = zipfWeights(count: Vocabulary.englishOccupations.count)

    /// A title and a description for a posting in `country` (JP or KR) at `prefecture`.
    mutating func text(country: String, prefecture: String) -> (title: String, description: String) {
        let japanese = country == "JP"
        let occupationIndex = rank(in: Self.occupationWeights)
        let local = japanese ? Vocabulary.japaneseOccupations : Vocabulary.koreanOccupations
        var occupation = local[min(occupationIndex, local.count - 1)]
        var english = Vocabulary.englishOccupations[occupationIndex]
        if chance(Self.rareTradeOneIn) {
            occupation = pick(japanese ? Vocabulary.japaneseRareTrades : Vocabulary.koreanRareTrades)
            english = pick(Vocabulary.englishRareTrades)
        }
        let place = Vocabulary.places[prefecture] ?? prefecture
        let phrases = (0..<Int.random(in: 2...5, using: &random)).map { _ in
            pick(japanese ? Vocabulary.japanesePhrases : Vocabulary.koreanPhrases)
        }
        var title = japanese ? "\(occupation)（\(place)）" : "\(occupation) (\(place))"
        var description = japanese
            ? "\(place)で\(occupation)を募集しています。" + phrases.joined(separator: "。") + "。"
            : "\(place)에서 \(occupation)을(를) 모집합니다. " + phrases.joined(separator: ". ") + "."
        if chance(3) {
            title += " / \(english.capitalized) in \(prefecture)"
            description += "\n\(english.capitalized) wanted in \(prefecture). " + pick(Vocabulary.englishPhrases).capitalized + "."
        }
        return (title, description)
    }
}
