// Parses JSON objects of 10⁴, 10⁵ and 10⁶ keys (about 16 MiB at 10⁶, the C door's limit)
// and prints the time per key at each size: objects hash their keys, so the time per key
// stays flat; a linear scan per key made it grow with the size (38 s at 10⁵ keys).
//
//   swift run -c release cds-json-bench            # 10⁴, 10⁵, 10⁶ keys, best of 3
//   swift run -c release cds-json-bench --check    # the same, exit 1 if the cost per key grows 10× or more
import CDSCore
#if canImport(Glibc)
import Glibc
#endif

let check = CommandLine.arguments.contains("--check")
let sizes = [10_000, 100_000, 1_000_000]

/// `{"k0000000": 0, "k0000001": 1, …}`, and the same with its last key repeating the first.
func object(_ n: Int, duplicateAtEnd: Bool) -> String {
    var s = "{"
    s.reserveCapacity(n * 16)
    for i in 0..<n {
        s += (i == 0 ? "" : ",") + "\"" + key(duplicateAtEnd && i == n - 1 ? 0 : i) + "\":" + String(i)
    }
    return s + "}"
}

func key(_ i: Int) -> String { let d = String(i); return "k" + String(repeating: "0", count: max(0, 7 - d.count)) + d }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

print("JSON objects parsed and every key looked up (best of 3), release build")
print("keys        bytes        parse      lookups    duplicate found   ns per key")
var perKey: [Double] = []
for n in sizes {
    let text = object(n, duplicateAtEnd: false), dup = object(n, duplicateAtEnd: true)
    var best = (parse: Double.infinity, lookup: Double.infinity, dup: Double.infinity)
    for _ in 0..<3 {
        let clock = ContinuousClock()
        var parsed = JSON.null
        let p = clock.measure { parsed = (try? JSON.parse(text)) ?? .null }
        guard let o = parsed.objectValue, o.count == n else { print("error: the object of \(n) keys did not parse"); exit(1) }
        var found = 0
        let l = clock.measure { for i in stride(from: 0, to: n, by: 1) where o[key(i)] != nil { found += 1 } }
        guard found == n else { print("error: \(n - found) keys not found"); exit(1) }
        var refused = false
        let d = clock.measure { do { _ = try JSON.parse(dup) } catch let e as JSONParseError { refused = e.reason.hasPrefix("duplicate key") } catch {} }
        guard refused else { print("error: the duplicate key of the \(n)-key object was not refused"); exit(1) }
        best = (min(best.parse, seconds(p)), min(best.lookup, seconds(l)), min(best.dup, seconds(d)))
    }
    let ns = best.parse / Double(n) * 1e9
    perKey.append(ns)
    func f(_ s: Double) -> String { String(Int((s * 1000).rounded())) + " ms" }
    let cells: [String] = [String(n), String(text.utf8.count), f(best.parse), f(best.lookup), f(best.dup), String(Int(ns.rounded()))]
    print(cells.map { $0 + String(repeating: " ", count: max(1, 12 - $0.count)) }.joined())
}
let growth = (perKey.last ?? 0) / max(perKey.first ?? 1, 1e-9)
print("growth of the parse time per key from 10⁴ to 10⁶ keys: \(Double(Int(growth * 100)) / 100)× (linear: about 1×; a scan per key: about 100×)")
if check, growth >= 10 { print("error: parsing is not linear in the number of keys"); exit(1) }
