/// The payload of a change, in release 0.1.0's shape: the changed fields only, `before`
/// with their old values (null when absent) and `after` with their new ones.
public enum PayloadDiff {
    /// `{"before": {...}, "after": {...}}` of the fields that differ, `updated_at` left out.
    public static func between(_ before: JSON, _ after: JSON) -> JSON {
        var b = JSONObject(), a = JSONObject()
        let old = before.objectValue ?? JSONObject()
        for (k, v) in after.objectValue ?? JSONObject() where k != "updated_at" && old[k] != v {
            b[k] = old[k] ?? .null
            a[k] = v
        }
        return ["before": .object(b), "after": .object(a)]
    }
}
