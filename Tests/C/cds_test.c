/*
 * The C door, tested as a C host uses it: compiled against include/cds.h with
 * -std=c11 -Wall -Werror -pedantic and linked to the real libcds.so.
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include "cds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed = 0, failed = 0;

#define CHECK(cond, what)                                                   \
    do {                                                                    \
        if (cond) { passed++; }                                             \
        else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what); } \
    } while (0)

/* Calls a method; returns the status and copies the answer into buf. */
static cds_status call(cds_db *db, const char *method, const char *params, char *buf, size_t n) {
    char *out = NULL;
    cds_status s = cds_call(db, method, params, &out);
    if (buf && n) {
        buf[0] = 0;
        if (out) { strncpy(buf, out, n - 1); buf[n - 1] = 0; }
    }
    cds_free(out);
    return s;
}

/* The value of "id":"…" in an answer (the first one). */
static void id_of(const char *answer, char *id, size_t n) {
    const char *p = strstr(answer, "\"id\":\"");
    id[0] = 0;
    if (!p) return;
    p += 6;
    size_t i = 0;
    while (p[i] && p[i] != '"' && i + 1 < n) { id[i] = p[i]; i++; }
    id[i] = 0;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : ":memory:";
    static char buf[1 << 16];
    char params[1024], id[64], org[64], offer[64];

    CHECK(cds_abi_version() == CDS_ABI_VERSION, "the loaded library implements the header's ABI");
    CHECK(cds_version() != NULL && strlen(cds_version()) > 0, "a version string");
    {
        char expected[32];
        snprintf(expected, sizeof expected, "%d.%d.%d", CDS_VERSION_NUMBER / 10000, CDS_VERSION_NUMBER / 100 % 100, CDS_VERSION_NUMBER % 100);
        CHECK(strcmp(cds_version(), expected) == 0, "CDS_VERSION_NUMBER names the loaded library's version");
    }
    cds_interrupt(NULL);
    CHECK(1, "cds_interrupt(NULL) is a no-op");

    cds_db *db = NULL;
    char *err = NULL;
    CHECK(cds_open(path, "{\"now\": \"2026-03-01T09:00:00Z\", \"trusted\": true}", &db, &err) == CDS_OK, "open as the trusted system");
    CHECK(db != NULL && err == NULL, "open gives a handle and no error");
    if (!db) { fprintf(stderr, "cannot go on without a database\n"); return 1; }

    cds_interrupt(db);
    CHECK(call(db, "meta.version", NULL, buf, sizeof buf) == CDS_OK, "a call made after cds_interrupt runs as usual");
    CHECK(call(db, "territory.get", "{\"code\": \"09.541.11.33\"}", buf, sizeof buf) == CDS_OK, "territory.get");
    CHECK(strstr(buf, "\"fr\":\"Talmakante\"") != NULL, "Talmakante in French");
    CHECK(strstr(buf, "\"ar\":\"\xd8\xaa\xd8\xa7\xd9\x84\xd9\x85\xd8\xa7\xd9\x83\xd8\xa7\xd9\x86\xd8\xaa\"") != NULL, "Talmakante in Arabic");

    CHECK(call(db, "territory.list", "{\"level\": \"commune\", \"parent\": \"09.541\"}", buf, sizeof buf) == CDS_OK, "territory.list");
    {
        int communes = 0;
        for (const char *p = buf; (p = strstr(p, "\"level\":\"commune\"")) != NULL; p++) communes++;
        CHECK(communes == 89, "Taroudannt has 89 communes");
    }

    CHECK(call(db, "member.create",
               "{\"name\": \"Brahim Ait Ouarab\", \"gender\": \"m\", \"roles\": [\"diaspora\"], \"residence_country\": \"FR\","
               " \"residence_city\": \"Lyon\", \"origin\": \"09.581.03.03\", \"languages\": [\"shi\", \"ar\", \"fr\"]}",
               buf, sizeof buf) == CDS_OK, "member.create");
    id_of(buf, id, sizeof id);
    CHECK(strncmp(id, "mbr_", 4) == 0, "a member id");
    snprintf(params, sizeof params, "{\"id\": \"%s\", \"residence_city\": \"Villeurbanne\"}", id);
    CHECK(call(db, "member.update", params, buf, sizeof buf) == CDS_OK && strstr(buf, "Villeurbanne"), "member.update");
    CHECK(call(db, "member.list", "{\"origin\": \"09.581\"}", buf, sizeof buf) == CDS_OK && strstr(buf, id), "member.list by province");

    CHECK(call(db, "organization.create", "{\"kind\": \"commune\", \"territory\": \"09.581.03.03\"}", buf, sizeof buf) == CDS_OK, "commune");
    id_of(buf, org, sizeof org);
    snprintf(params, sizeof params, "{\"organization\": \"%s\", \"signed_on\": \"2026-01-13\"}", org);
    CHECK(call(db, "agreement.sign", params, buf, sizeof buf) == CDS_OK && strstr(buf, "\"in_force\":true"), "agreement.sign");

    /* Offers and the matcher through the C door. */
    snprintf(params, sizeof params, "{\"member\": \"%s\", \"kind\": \"skill\", \"skills\": [\"2142\"], \"capacity\": {\"unit\": \"person_days\", \"amount\": 10},"
             " \"on_site\": true, \"contact_consent\": true}", id);
    CHECK(call(db, "offer.create", params, buf, sizeof buf) == CDS_OK && strstr(buf, "\"status\":\"active\""), "offer.create");
    id_of(buf, offer, sizeof offer);
    snprintf(params, sizeof params, "{\"offer\": \"%s\"}", offer);
    CHECK(call(db, "match.offer", params, buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"conflict\""), "no consent to be contacted, no match");
    snprintf(params, sizeof params, "{\"member\": \"%s\", \"purpose\": \"contact\", \"version\": \"2026-01\"}", id);
    CHECK(call(db, "consent.give", params, buf, sizeof buf) == CDS_OK, "consent.give contact");
    snprintf(params, sizeof params, "{\"offer\": \"%s\", \"k\": 5}", offer);
    CHECK(call(db, "match.offer", params, buf, sizeof buf) == CDS_OK && strstr(buf, "\"matches\":[]"), "match.offer: no open need yet");
    CHECK(call(db, "match.allocate", "{\"max_per_member\": 1}", buf, sizeof buf) == CDS_OK && strstr(buf, "\"pairs\":[]"), "match.allocate");
    CHECK(call(db, "match.need", "{\"need\": \"ned_x\", \"k\": 0}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"field\":\"k\""), "k of 0");

    /* Indicators: the report's shape, as API.md fixes it. */
    CHECK(call(db, "indicators.compute", "{\"as_of\": \"2026-06-30\", \"provenance\": true}", buf, sizeof buf) == CDS_OK &&
          strstr(buf, "\"as_of\":\"2026-06-30\"") && strstr(buf, "\"id\":\"migrants_mobilized\"") && strstr(buf, "\"target\":60") &&
          strstr(buf, "\"id\":\"collectivities_engaged\",\"label\"") && strstr(buf, "\"ids\":["), "indicators.compute");
    CHECK(call(db, "indicators.compute", "{\"period\": \"week\"}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"field\":\"period\""), "a period of week");

    /* Bad input: a clear error, never a crash. */
    CHECK(call(db, "member.create", "{\"name\":", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"invalid_json\""), "malformed JSON");
    CHECK(call(db, "nope.nope", "{}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"unknown_method\""), "unknown method");
    CHECK(call(db, "member.list", "{\"limt\": 3}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"field\":\"limt\""), "unknown field");
    CHECK(call(db, "member.list", "{\"limit\": -3}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"field\":\"limit\""), "negative count");
    CHECK(call(db, "territory.get", "{\"code\": \"99.999\"}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"not_found\""), "unknown territory");
    CHECK(call(db, "territory.get", "{\"code\": \"\xff\xfe\"}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"invalid_json\""), "invalid UTF-8");
    {
        size_t n = 10u * 1024u * 1024u;
        char *big = malloc(n + 128);
        CHECK(big != NULL, "malloc");
        if (big) {
            memcpy(big, "{\"name\": \"", 10);
            memset(big + 10, 'x', n);
            strcpy(big + 10 + n, "\", \"gender\": \"f\", \"roles\": [\"diaspora\"], \"residence_country\": \"FR\"}");
            CHECK(call(db, "member.create", big, buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"field\":\"name\""), "a 10 MB string");
            free(big);
        }
    }
    CHECK(call(db, "member.list", "{\"limit\": 1000}", buf, sizeof buf) == CDS_OK && strstr(buf, "\"name\":\"Brahim Ait Ouarab\"") &&
          strstr(buf, "xxxxxxxx") == NULL, "bad input stored nothing");

    /* Misuse: NULL pointers answer CDS_MISUSE and leave out NULL. */
    {
        char *out = (char *)1;
        CHECK(cds_call(NULL, "meta.version", NULL, &out) == CDS_MISUSE && out == NULL, "NULL handle");
        out = (char *)1;
        CHECK(cds_call(db, NULL, NULL, &out) == CDS_MISUSE && out == NULL, "NULL method");
        CHECK(cds_call(db, "meta.version", NULL, NULL) == CDS_MISUSE, "NULL out");
        cds_db *none = NULL;
        CHECK(cds_open(NULL, NULL, &none, NULL) == CDS_MISUSE && none == NULL, "NULL path");
        CHECK(cds_open(":memory:", NULL, NULL, NULL) == CDS_MISUSE, "NULL out_db");
        cds_close(NULL);
        cds_free(NULL);
    }
    CHECK(call(db, "meta.version", NULL, buf, sizeof buf) == CDS_OK && strstr(buf, "\"abi\":1"), "NULL params means {}");

    /* Reopening a file finds everything, event log included. */
    if (strcmp(path, ":memory:") != 0) {
        cds_close(db);
        db = NULL;
        CHECK(cds_open(path, NULL, &db, NULL) == CDS_OK, "reopen, not trusted: each call acts as its actor");
        snprintf(params, sizeof params, "{\"id\": \"%s\", \"actor\": \"%s\"}", id, id);
        CHECK(call(db, "member.get", params, buf, sizeof buf) == CDS_OK && strstr(buf, "Villeurbanne"), "the member is still there, and sees her own data");
        snprintf(params, sizeof params, "{\"id\": \"%s\"}", id);
        CHECK(call(db, "member.export", params, buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"code\":\"forbidden\"")
              && strstr(buf, "\"rule\":\"member.export\"") && !strstr(buf, "Villeurbanne"),
              "an anonymous caller is refused another's export: forbidden, with the rule's key");
        CHECK(call(db, "audit.verify", NULL, buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"rule\":\"audit.verify\""), "the log is staff's");
        cds_close(db);
        CHECK(cds_open(path, "{\"trusted\": true}", &db, NULL) == CDS_OK, "reopen as the trusted system");
        CHECK(call(db, "audit.verify", NULL, buf, sizeof buf) == CDS_OK && strstr(buf, "\"ok\":true") && strstr(buf, "\"events\":6"),
              "the event log is still there and verifies");
    }
    cds_close(db);

    /* A handle opened without "trusted" acts as each call's actor: an anonymous caller may
     * sign up, but not as an admin. */
    {
        cds_db *portal = NULL;
        CHECK(cds_open(":memory:", NULL, &portal, NULL) == CDS_OK, "open a portal's handle");
        CHECK(call(portal, "member.create", "{\"name\": \"Nadia\", \"gender\": \"f\", \"roles\": [\"admin\"], \"residence_country\": \"FR\"}",
                   buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"rule\":\"member.roles\""), "only an admin grants the admin role");
        CHECK(call(portal, "member.create", "{\"name\": \"Nadia\", \"gender\": \"f\", \"roles\": [\"diaspora\"], \"residence_country\": \"FR\"}",
                   buf, sizeof buf) == CDS_OK, "anyone signs up as diaspora");
        CHECK(call(portal, "member.list", "{\"actor\": \"mbr_nobody\"}", buf, sizeof buf) == CDS_ERROR && strstr(buf, "\"rule\":\"actor.unknown\""),
              "an actor who is not a member is refused");
        cds_close(portal);
    }

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
