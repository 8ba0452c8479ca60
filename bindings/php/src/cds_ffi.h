/* GENERATED from include/cds.h by scripts/gen-ffi-header: do not edit. CDS_ABI_VERSION=1 */
typedef enum cds_status {
    CDS_OK = 0,
    CDS_ERROR = 1,
    CDS_MISUSE = 2
} cds_status;
typedef struct cds_db cds_db;
int cds_abi_version(void);
const char *cds_version(void);
cds_status cds_open(const char *path, const char *options_json, cds_db **out_db, char **out_error_json);
void cds_close(cds_db *db);
cds_status cds_call(cds_db *db, const char *method, const char *params_json, char **out_json);
void cds_interrupt(cds_db *db);
void cds_free(char *json);
