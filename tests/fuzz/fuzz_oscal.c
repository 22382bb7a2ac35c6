/* fuzz_oscal.c - rpt_oscal_parse_catalog on arbitrary bytes.
 *
 * A catalog that parses must export again (rpt_oscal_framework_catalog)
 * and the export must parse back to the same controls in the same order.
 * A refusal must carry a message that starts with a JSON path or names
 * the input.  The arena and buffers are released per input.
 */
#include "report/oscal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(int cond)
{
    if (!cond)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct rpt_oscal_catalog cat;
    int rc = rpt_oscal_parse_catalog(&a, "fuzz.json", (const char *)data, size, &cat, &e);
    if (rc != 0) {
        check(e.msg[0] != '\0');
        arena_release(&a);
        return 0;
    }
    check(cat.n_controls > 0);
    struct sb out = SB_INIT;
    struct rpt_oscal_meta m = {.now = "2026-03-01T09:00:00Z", .seed = "fuzz", .lang = "en"};
    check(rpt_oscal_framework_catalog(&cat, &m, &out, &e) == 0);
    struct rpt_oscal_catalog back;
    check(rpt_oscal_parse_catalog(&a, "export.json", out.buf, out.len, &back, &e) == 0);
    check(back.n_controls == cat.n_controls);
    for (size_t i = 0; i < cat.n_controls; i++)
        check(strcmp(back.controls[i].id, cat.controls[i].id) == 0);
    sb_release(&out);
    arena_release(&a);
    return 0;
}
