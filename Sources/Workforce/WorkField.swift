/// The kinds of work a posting may name (`field`), by id.
///
/// Which residence statuses may do each is data (`config/eligibility-rules.yaml`); a test keeps this
/// list and that file in step.
public enum WorkField {
    public static let all: Set<String> = [
        "it-engineering", "interpreting-translation", "design", "language-teaching", "business-professional", "research",
        "foreign-cuisine-chef", "sports-instruction",
        "nursing-care", "building-cleaning", "industrial-manufacturing", "construction", "shipbuilding", "automobile-maintenance",
        "aviation", "accommodation", "agriculture", "fishery", "food-manufacturing", "food-service", "automobile-transport",
        "passenger-transport", "railway", "forestry", "wood-industry", "mining", "linen-supply", "logistics-warehousing", "resource-recycling",
        "parcel-sorting", "packing", "shelf-stocking", "gas-station", "parking-attendant", "general-labour",
        "adult-entertainment",
    ]

    public static func isKnown(_ id: String) -> Bool { all.contains(id) }
}
