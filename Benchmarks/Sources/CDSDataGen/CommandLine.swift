import Foundation

/// The value after `name` on the command line, or `fallback`.
public func arg(_ name: String, _ fallback: String) -> String {
    let a = CommandLine.arguments
    if let i = a.firstIndex(of: name), i + 1 < a.count { return a[i + 1] }
    return fallback
}

/// A duration in seconds.
public func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// A line on standard error (progress and figures; standard output stays for data).
public func say(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
