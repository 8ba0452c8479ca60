import CDSCore

/// `batch`: many calls in one transaction, all or nothing.
enum BatchMethods {
    /// The most calls one batch takes.
    static let maxCalls = 10_000

    static let all: [Method] = [
        Method("batch", "Runs many calls in one transaction, in order, all or nothing: the results of every call, or the first error "
                   + "(with its index and method in details) and nothing stored. actor applies to every call (each is checked against the "
                   + "access table as if made alone, and none may name another actor); at, when given, to every call that changes "
                   + "something and gives none of its own.", mutating: true,
               [.init("calls", .array(.object([
                    .init("method", .string(maxLength: 100), required: true, "the method's name, e.g. member.create"),
                    .init("params", .anyObject, "its params (default {}), checked by that method's schema"),
                ]), maxItems: maxCalls), required: true, "the calls, in order")]) { c throws(CDSError) in
            let calls = c.params.objects("calls") ?? []
            var results: [JSON] = []
            results.reserveCapacity(calls.count)
            try c.db.store.batch { () throws(CDSError) in
                for (i, call) in calls.enumerated() {
                    try c.stop.check()
                    let name = call["method"]?.stringValue ?? ""
                    func failed(_ e: CDSError) -> CDSError {
                        var e = e
                        e.details["index"] = .int(Int64(i))
                        e.details["method"] = .string(name)
                        e.message = "calls[\(i)] (\(name)): " + e.message
                        return e
                    }
                    guard let m = MethodTable.byName[name], name != "batch" else {
                        throw failed(name == "batch" ? CDSError.invalid("calls[\(i)].method", "a batch cannot hold a batch")
                                                     : CDSError(.unknownMethod, "no method \"\(name)\": meta.methods lists them"))
                    }
                    var params = call["params"]?.objectValue ?? JSONObject()
                    if let given = params["actor"], !given.isNull, given.stringValue != c.change.actor, !c.db.trusted {
                        throw failed(Visibility.forbidden("batch.actor", "a call of a batch acts as the batch's actor, and may not name another",
                                                          details: ["actor": given]))
                    }
                    if params["actor"] == nil, let actor = c.change.actor { params["actor"] = .string(actor) }
                    if m.mutating, params["at"] == nil, let at = c.change.at { params["at"] = .string(at.description) }
                    if params["locale"] == nil { params["locale"] = .string(c.locale.rawValue) }
                    switch c.db.call(name, params: .object(params)) {
                    case .success(let r): results.append(r)
                    case .failure(let e): throw failed(e)
                    }
                }
            }
            return ["results": .array(results)]
        },
    ]
}
