/*
 * cds.h — the stable C ABI of CDS core (Communauté de Développement Solidaire).
 *
 * Hand-written and the single source of truth: libcds.so implements exactly these
 * functions (the Swift compiler checks them through `@c @implementation`).
 *
 * The header stays tiny so that it never has to break. Every domain operation is a
 * method called through cds_call() with JSON parameters and a JSON answer; the list of
 * methods, each with its JSON Schema, is answered by the method "meta.methods".
 *
 * Ownership: every string the library returns is owned by the caller and freed with
 * cds_free(). Strings passed in are borrowed for the duration of the call only and must
 * be NUL-terminated UTF-8.
 *
 * Threads: a cds_db handle may be used from several threads at once (reads run
 * concurrently, writes are serialized). cds_close() must not race with other calls on the
 * same handle. Nothing in this library aborts the host process on bad input.
 */
#ifndef CDS_H
#define CDS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped only on a breaking change of this header. Compare with cds_abi_version(). */
#define CDS_ABI_VERSION 1

/* The semantic version of this header's release as a number: major * 10000 + minor * 100
 * + patch (0.1.0 is 100, 1.2.0 would be 10200). cds_version() names the loaded library's. */
#define CDS_VERSION_NUMBER 100

/* Status of a call. 0 is success. */
typedef enum cds_status {
    CDS_OK = 0,      /* *out holds {"result": ...} */
    CDS_ERROR = 1,   /* *out holds {"error": {"code": "...", "message": "...", "details": {...}}} */
    CDS_MISUSE = 2   /* a NULL handle, method or out pointer: nothing was done, *out is NULL */
} cds_status;

/* An opaque handle to one open database. */
typedef struct cds_db cds_db;

/* The ABI version the loaded library implements (CDS_ABI_VERSION when it was built). */
int cds_abi_version(void);

/* The library's semantic version, a static string: do not free it. */
const char *cds_version(void);

/*
 * Opens (creating and migrating it if needed) the SQLite database at `path`, or an
 * in-memory database for ":memory:". `options_json` may be NULL or a JSON object:
 *   {"now": "2026-03-01T09:00:00Z"}   a fixed clock (tests, imports of history)
 *   {"busy_timeout_ms": 5000}          how long a write waits for another writer
 *   {"read_only": true}                open an existing file without writing to it
 *   {"live": false}                    build the matcher and indicators afresh each call
 *   {"snapshot_after_events": 20000}   how many events the log gains before the engines'
 *                                      snapshots are written again (the next open reads them
 *                                      instead of every event; 0 never writes one)
 *   {"trusted": true}                  act as the trusted system (imports, jobs): every method
 *                                      allowed, nothing withheld. Without it each call acts as its
 *                                      "actor" param (a member id; absent: an anonymous visitor),
 *                                      as the access table of meta.methods says.
 * On success returns CDS_OK and sets *out_db (and *out_error_json to NULL when given).
 * On failure returns CDS_ERROR, sets *out_db to NULL and, when out_error_json is not
 * NULL, an error object to free with cds_free(). CDS_MISUSE when path or out_db is NULL.
 */
cds_status cds_open(const char *path, const char *options_json, cds_db **out_db, char **out_error_json);

/* Closes the handle and frees it. NULL is a no-op. */
void cds_close(cds_db *db);

/*
 * Calls one method, for example method "territory.get" with params_json
 * {"code": "09.541.11.33"}. params_json may be NULL for {}. Sets *out_json to the answer,
 * to free with cds_free(). CDS_MISUSE (with *out_json set to NULL) when db, method or
 * out_json is NULL.
 */
cds_status cds_call(cds_db *db, const char *method, const char *params_json, char **out_json);

/*
 * Interrupts every call in progress on the handle, from any thread: a long call
 * (match.all, match.allocate, indicators.compute over a long series) stops at its next
 * checkpoint and answers the error "interrupted", with nothing written.
 * Calls made after it returns run as usual. NULL is a no-op. Added in 0.1.0 with the ABI
 * still at 1.
 */
void cds_interrupt(cds_db *db);

/* Frees a string returned by the library. NULL is a no-op. */
void cds_free(char *json);

#ifdef __cplusplus
}
#endif

#endif /* CDS_H */
