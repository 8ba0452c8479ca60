/// `indicator.target_set`, v1: `{"after": {"target": number}}`.
public enum IndicatorTargetSet {
    /// The event type.
    public static let type = EventType.indicatorTargetSet
    /// The v1 payload.
    public static func payload(target: Double) -> JSON { ["after": ["target": .double(target)]] }
}

/// `match.weights_set`, v1: `{"before": weights, "after": weights}`, each weight by component name.
public enum MatchWeightsSet {
    /// The event type.
    public static let type = EventType.matchWeightsSet
    /// The v1 payload.
    public static func payload(before: MatchWeights, after: MatchWeights) -> JSON { ["before": weights(before), "after": weights(after)] }
    /// The weights, v1 keys (`skills`, `territory`, `time`, `capacity`, `sector`).
    static func weights(_ w: MatchWeights) -> JSON {
        .object(JSONObject([("skills", .int(Int64(w.skills))), ("territory", .int(Int64(w.territory))), ("time", .int(Int64(w.time))),
                            ("capacity", .int(Int64(w.capacity))), ("sector", .int(Int64(w.sector)))]))
    }
}
