import CDSCore
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to open a store.
public struct StoreOptions: Sendable {
    /// A fixed "now" (tests, imports of history); nil uses the system clock.
    public var now: Instant?
    /// How long a write waits for another writer, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// Opens an existing file without writing to it.
    public var readOnly: Bool
    /// Keeps the matcher and the indicator engine current as the database is written to (the
    /// default); off, every call builds them afresh from the database (what the tests and
    /// benchmarks compare them with).
    public var live: Bool
    /// How many offers may change before the live matcher rebuilds its base in the
    /// background (needs: a quarter as many), or a 256th of the offers (of the needs) when
    /// that is more; reads meanwhile score the changed ones apart.
    public var matcherRebuildAfter: Int
    /// How many events the log gains before the snapshots of the indicator engine and of the
    /// matcher's inputs are written again (at least a quarter of the log as well): the next
    /// process opens from them instead of reading every event, offer and need. 0 never writes one.
    public var snapshotAfterEvents: Int

    /// Options; the defaults suit a portal.
    public init(now: Instant? = nil, busyTimeoutMilliseconds: Int = 5000, readOnly: Bool = false, live: Bool = true, matcherRebuildAfter: Int = 64,
                snapshotAfterEvents: Int = 20_000) {
        self.now = now; self.busyTimeoutMilliseconds = busyTimeoutMilliseconds; self.readOnly = readOnly; self.live = live
        self.matcherRebuildAfter = matcherRebuildAfter; self.snapshotAfterEvents = snapshotAfterEvents
    }
}

/// The SQLite persistence of a CDS: schema, migrations, reference data, event log and
/// queries. One file (WAL, foreign keys, STRICT tables) or `:memory:`.
///
/// A store is safe to share between threads: reads run concurrently (a GRDB
/// `DatabasePool`), writes are serialized, each in one transaction.
public final class Store: Sendable {
    /// The GRDB connection(s).
    let writer: any DatabaseWriter
    /// Where "now" comes from.
    let fixedNow: Instant?
    /// The file path, or `:memory:`.
    public let path: String
    /// The indicator engine of the log up to a sequence number, extended when the log grows.
    let engineHolder = EngineHolder()
    /// The matcher, kept current by following the log (`matchView`).
    let liveMatcher: LiveMatcher
    /// False when every call builds the matcher and the indicator engine afresh.
    let live: Bool
    /// `StoreOptions.snapshotAfterEvents` (0 on a read-only or in-memory store).
    let snapshotAfterEvents: Int
    /// Stops the long calls in progress (`cds_interrupt`).
    public let interrupter = Interrupter()

    /// Interrupts every call in progress: the loops of the matcher and the indicators stop
    /// at their next checkpoint and answer `interrupted`. SQLite's own interrupt is not
    /// used: landing on a COMMIT or ROLLBACK it leaves GRDB a transaction it traps on, and
    /// nothing behind the C door may trap; a statement runs to its end instead.
    public func interrupt() {
        interrupter.interrupt()
    }

    /// The transaction of a `batch` in progress, by thread.
    let batchContext = BatchContext()

    /// Opens (creating and migrating) the database at `path`, or an in-memory one.
    public init(path: String, options: StoreOptions = StoreOptions()) throws(CDSError) {
        guard !path.isEmpty else { throw CDSError.invalid("path", "must not be empty") }
        guard !path.utf8.contains(0) else { throw CDSError.invalid("path", "must not contain NUL") }
        self.path = path
        fixedNow = options.now
        live = options.live
        snapshotAfterEvents = options.readOnly || path == ":memory:" ? 0 : max(0, options.snapshotAfterEvents)
        liveMatcher = LiveMatcher(rebuildAfter: options.matcherRebuildAfter)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = options.readOnly
        config.busyMode = .timeout(Double(max(0, options.busyTimeoutMilliseconds)) / 1000)
        config.label = "cds"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Savepoint and statement journals in memory: every call runs in a savepoint of a
            // batch or an import, and on disk its journal was some 50 pwrite calls a member.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            if path == ":memory:" {
                writer = try DatabaseQueue(configuration: config)
            } else {
                try Store.refuseNewerSchema(path)
                writer = try DatabasePool(path: path, configuration: config)
            }
        } catch {
            throw Store.translate(error)
        }
        try migrate(readOnly: options.readOnly)
        if !options.readOnly, path != ":memory:" {
            // The one writing connection keeps 32 MiB of pages (SQLite's default is 2 MiB): at 100,000 members a write
            // read some 17 pages a call back from the file, and wrote as many again. The readers keep the default.
            do { try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -32768") } } catch { throw Store.translate(error) }
        }
    }

    /// Refuses a file written by a newer release before anything writes to it (opening a
    /// pool writes to the file, so the check reads it first, read-only).
    static func refuseNewerSchema(_ path: String) throws {
        guard access(path, F_OK) == 0 else { return }
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        let superseded = try queue.read { db -> Bool in
            guard try db.tableExists("grdb_migrations") else { return false }
            return try Store.migrator.hasBeenSuperseded(db)
        }
        if superseded { throw CDSError(.storage, "the database was written by a newer version of CDS core: upgrade the library to open it") }
    }

    /// The instant used when a call gives no `at`.
    public var now: Instant {
        if let fixedNow { return fixedNow }
        return Instant(millisecondsSinceEpoch: Clock.systemMilliseconds())
    }

    /// The schema level: how many migrations the file has applied.
    public func schemaLevel() throws(CDSError) -> Int { Store.schemaLevel }

    /// The schema level of every open store: opening migrates the file to the last level (or,
    /// read-only, refuses one that is not there), so the answer needs no SQLite.
    static let schemaLevel = migrator.migrations.count

    /// Runs `body` in a read transaction, translating every error.
    func read<T>(_ body: (Database) throws -> T) throws(CDSError) -> T {
        if let db = batchContext.database() {
            do { return try body(db) } catch { throw Store.translate(error) }
        }
        do { return try writer.read(body) } catch { throw Store.translate(error) }
    }

    /// Runs `body` in one write transaction: all of it is stored, or nothing. Inside a
    /// `batch`, it runs in a savepoint of the batch's transaction, with the same guarantee.
    func write<T>(_ body: (Database) throws -> T) throws(CDSError) -> T {
        if let db = batchContext.database() {
            do {
                var result: T?
                try db.inSavepoint {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw CDSError(.internal, "a batched write answered nothing") }
                return result
            } catch { throw Store.translate(error) }
        }
        do { return try writer.write(body) } catch { throw Store.translate(error) }
    }

    /// Runs many changes in one transaction (a bulk import): each call made by `body` on
    /// this thread is atomic on its own (a savepoint) and the whole batch is committed once,
    /// which is much faster than one transaction per call. An error thrown by `body` rolls
    /// the whole batch back.
    public func batch<T>(_ body: () throws(CDSError) -> T) throws(CDSError) -> T {
        guard batchContext.database() == nil else { return try body() }
        do {
            return try writer.write { db in
                batchContext.enter(db)
                defer { batchContext.leave() }
                do { return try body() } catch { throw error }
            }
        } catch {
            throw Store.translate(error)
        }
    }

    /// Every failure as a contract error: domain errors pass through, SQLite's are sorted
    /// into busy, conflict and storage.
    static func translate(_ error: any Error) -> CDSError {
        if let e = error as? CDSError { return e }
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_INTERRUPT:
                return CDSError.interrupted
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return CDSError(.busy, "the database is busy: try again", details: ["sqlite": .string(e.message ?? "")])
            case .SQLITE_CONSTRAINT:
                return CDSError(.conflict, "the change breaks a rule of the database: \(e.message ?? "constraint")")
            case .SQLITE_FULL:
                return CDSError(.storage, "the disk is full: nothing was written", details: ["sqlite": .string(e.message ?? "")])
            case .SQLITE_READONLY:
                return CDSError(.storage, "the database is read-only: nothing was written", details: ["sqlite": .string(e.message ?? "")])
            case .SQLITE_NOTADB:
                return CDSError(.storage, "the file is not a CDS database (not SQLite)", details: ["sqlite": .string(e.message ?? "")])
            case .SQLITE_CORRUPT:
                return CDSError(.storage, "the database file is corrupt", details: ["sqlite": .string(e.message ?? "")])
            case .SQLITE_IOERR:
                return CDSError(.storage, "the disk failed or is full (I/O error): nothing was written", details: ["sqlite": .string(e.message ?? "")])
            case .SQLITE_CANTOPEN:
                return CDSError(.storage, "cannot open the database file", details: ["sqlite": .string(e.message ?? "")])
            default:
                return CDSError(.storage, "storage error: \(e.message ?? e.description)", details: ["sqlite": .string(e.description)])
            }
        }
        return CDSError(.internal, "unexpected error: \(error)")
    }
}

/// The system clock, without Foundation.
enum Clock {
    static func systemMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// The database connection of the batch running on each thread.
final class BatchContext: Sendable {
    /// A batch's connection, only ever used by the thread that runs the batch.
    struct Connection: @unchecked Sendable { let db: Database }
    /// The batch's connection by thread; a `Mutex` has a stable address, unlike a stored `pthread_mutex_t`.
    private let byThread = Mutex<[UInt: Connection]>([:])
    private var me: UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }
    func database() -> Database? {
        let me = self.me
        return byThread.withLock { $0.isEmpty ? nil : $0[me]?.db }
    }
    func enter(_ db: Database) { let me = self.me, c = Connection(db: db); byThread.withLock { $0[me] = c } }
    func leave() { let me = self.me; byThread.withLock { $0[me] = nil } }
}
