/* test_sheet.c - the strict CSV and XLSX readers (base/sheet.h): what they
 * read, and the malformed input they refuse with a position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/sheet.h"

static struct sheet parse_csv(struct arena *a, const char *text)
{
    struct sheet s;
    struct err e = ERR_INIT;
    if (sheet_parse_csv(a, "t.csv", text, strlen(text), &s, &e) != 0)
        fail_msg("%s: %s", e.where, e.msg);
    return s;
}

static void csv_bad(const char *text, size_t len, const char *msg, const char *where)
{
    struct arena a = ARENA_INIT;
    struct sheet s;
    struct err e = ERR_INIT;
    int rc = sheet_parse_csv(&a, "t.csv", text, len, &s, &e);
    arena_release(&a);
    if (rc != TL_EINPUT || !strstr(e.msg, msg) || strcmp(e.where, where) != 0)
        fail_msg("want '%s' at %s, got %d '%s' at %s", msg, where, rc, e.msg, e.where);
}

static void test_csv_reads(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct sheet s = parse_csv(&a, "\xef\xbb\xbfid,name,note\r\n"
                                   "A-1,\"Smith, Ann\",\"said \"\"hi\"\"\"\r\n"
                                   "\r\n"
                                   "A-2,B\xc3\xb6rje,\"two\nlines\"\n"
                                   "A-3,,\n");
    assert_int_equal(s.n_rows, 4);
    assert_string_equal(sheet_cell(&s.rows[0], 0), "id");
    assert_string_equal(sheet_cell(&s.rows[1], 1), "Smith, Ann");
    assert_string_equal(sheet_cell(&s.rows[1], 2), "said \"hi\"");
    assert_int_equal(s.rows[2].line, 4);
    assert_string_equal(sheet_cell(&s.rows[2], 1), "B\xc3\xb6rje");
    assert_string_equal(sheet_cell(&s.rows[2], 2), "two\nlines");
    assert_int_equal(s.rows[3].line, 6);
    assert_int_equal(s.rows[3].n, 3);
    assert_string_equal(sheet_cell(&s.rows[3], 2), "");
    assert_string_equal(sheet_cell(&s.rows[3], 7), "");
    /* No final newline; a lone column. */
    s = parse_csv(&a, "id\nx");
    assert_int_equal(s.n_rows, 2);
    assert_string_equal(sheet_cell(&s.rows[1], 0), "x");
    s = parse_csv(&a, "");
    assert_int_equal(s.n_rows, 0);
    arena_release(&a);
}

static void test_csv_refuses(void **state)
{
    (void)state;
    csv_bad("id\n\"open", 8, "unterminated quoted field", "t.csv:2:1");
    csv_bad("id,x\na\"b,c\n", 11, "stray quote", "t.csv:2:2");
    csv_bad("id\n\"a\"b\n", 8, "text after the closing quote", "t.csv:2:4");
    csv_bad("a,b\n1,2\n3\n", 10, "row has 1 fields, the first row has 2", "t.csv:3:1");
    csv_bad("id\n\xff\n", 5, "invalid UTF-8", "t.csv:2:1");
    csv_bad("id\n\xc0\xaf\n", 6, "invalid UTF-8", "t.csv:2:1");     /* overlong '/' */
    csv_bad("id\n\xed\xa0\x80\n", 7, "invalid UTF-8", "t.csv:2:1"); /* a surrogate */
    csv_bad("id\na\0b\n", 7, "NUL byte", "t.csv:2:2");
    csv_bad("id\ra\n", 5, "carriage return without a line feed", "t.csv:1:3");
}

static struct sheet parse_xml(struct arena *a, const char *shared, const char *sheet)
{
    struct sheet s;
    struct err e = ERR_INIT;
    if (sheet_parse_xlsx_xml(a, "t.xlsx", shared, shared ? strlen(shared) : 0, sheet, strlen(sheet),
                             &s, &e) != 0)
        fail_msg("%s: %s", e.where, e.msg);
    return s;
}

static void xml_bad(const char *shared, const char *sheet, const char *msg)
{
    struct arena a = ARENA_INIT;
    struct sheet s;
    struct err e = ERR_INIT;
    int rc = sheet_parse_xlsx_xml(&a, "t.xlsx", shared, shared ? strlen(shared) : 0, sheet,
                                  strlen(sheet), &s, &e);
    arena_release(&a);
    if (rc != TL_EINPUT || !strstr(e.msg, msg) || !strstr(e.where, "t.xlsx:xl/"))
        fail_msg("want '%s', got %d '%s' at %s", msg, rc, e.msg, e.where);
}

static const char sst[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
    "<si><t>ref</t></si>"
    "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Rich </t></r><r><t>text</t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
    "<si><t>a &amp; b &lt;&#x41;&#66;&gt;</t></si>"
    "</sst>";

static void test_xlsx_xml_reads(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct sheet s = parse_xml(
        &a, sst,
        "<?xml version=\"1.0\"?><!-- a comment --><x:worksheet xmlns:x=\"urn:x\">"
        "<x:sheetData>"
        "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c>"
        "<x:c r=\"C1\" t=\"s\"><x:v>1</x:v></x:c></x:row>"
        "<x:row r=\"2\"/>"
        "<x:row r=\"4\"><x:c r=\"A4\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"B4\"><x:v>42.5</x:v>"
        "</x:c><x:c r=\"C4\" t=\"b\"><x:v>1</x:v></x:c>"
        "<x:c r=\"D4\" t=\"inlineStr\"><x:is><x:t>in<![CDATA[<line>]]></x:t></x:is></x:c>"
        "<x:c r=\"E4\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>refx</x:v></x:c></x:row>"
        "</x:sheetData></x:worksheet>");
    assert_int_equal(s.n_rows, 2); /* the empty row 2 is left out */
    assert_int_equal(s.rows[0].line, 1);
    assert_int_equal(s.rows[0].n, 3);
    assert_string_equal(sheet_cell(&s.rows[0], 0), "ref");
    assert_string_equal(sheet_cell(&s.rows[0], 1), "");
    assert_string_equal(sheet_cell(&s.rows[0], 2), "Rich text");
    assert_int_equal(s.rows[1].line, 4);
    assert_string_equal(sheet_cell(&s.rows[1], 0), "a & b <AB>");
    assert_string_equal(sheet_cell(&s.rows[1], 1), "42.5");
    assert_string_equal(sheet_cell(&s.rows[1], 2), "TRUE");
    assert_string_equal(sheet_cell(&s.rows[1], 3), "in<line>");
    assert_string_equal(sheet_cell(&s.rows[1], 4), "refx");
    /* Without r attributes cells and rows follow each other; no shared strings. */
    s = parse_xml(&a, NULL,
                  "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>x</t></is></c>"
                  "<c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>");
    assert_int_equal(s.n_rows, 2);
    assert_int_equal(s.rows[1].line, 2);
    assert_string_equal(sheet_cell(&s.rows[0], 0), "x");
    assert_string_equal(sheet_cell(&s.rows[1], 0), "2");
    arena_release(&a);
}

static void test_xlsx_xml_refuses(void **state)
{
    (void)state;
    const char *ok_sst = "<sst><si><t>a</t></si></sst>";
    xml_bad(NULL, "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet><sheetData/></worksheet>",
            "document type declarations are not allowed");
    xml_bad(NULL, "<worksheet><sheetData></worksheet>", "does not match the open element");
    xml_bad(NULL, "<worksheet>&foo;</worksheet>", "unknown entity '&foo;'");
    xml_bad(NULL, "<worksheet>&#0;</worksheet>", "XML forbids");
    xml_bad(NULL, "<worksheet>&#x110000;</worksheet>", "out of range");
    xml_bad(ok_sst,
            "<worksheet><sheetData><row><c t=\"s\"><v>1</v></c></row></sheetData></worksheet>",
            "shared string '1' that does not exist");
    xml_bad(NULL,
            "<worksheet><sheetData><row r=\"1\"><c r=\"B1\"/><c r=\"A1\"/></row></sheetData>"
            "</worksheet>",
            "cell 'A1' is out of order");
    xml_bad(NULL, "<worksheet><sheetData><row r=\"2\"/><row r=\"1\"/></sheetData></worksheet>",
            "row 1 is out of order");
    xml_bad(NULL, "<worksheet><sheetData><row r=\"1\"><c r=\"A2\"/></row></sheetData></worksheet>",
            "not in its row");
    xml_bad(NULL, "<worksheet><sheetData><row><c r=\"1A\"/></row></sheetData></worksheet>",
            "bad cell reference '1A'");
    xml_bad(NULL, "<worksheet><sheetData><row><c r=\"ANA1\"/></row></sheetData></worksheet>",
            "beyond the columns read");
    xml_bad(NULL, "<worksheet><sheetData><row><c t=\"q\"/></row></sheetData></worksheet>",
            "unknown cell type 'q'");
    xml_bad(NULL,
            "<worksheet><sheetData><row><c t=\"b\"><v>7</v></c></row></sheetData></worksheet>",
            "bad boolean");
    xml_bad(NULL, "<worksheet><c/></worksheet>", "a cell outside a row");
    xml_bad(NULL, "<worksheet a=\"1\" a=\"2\"/>", "attribute given twice");
    xml_bad(NULL, "<worksheet a=1/>", "quoted attribute value");
    xml_bad(NULL, "<worksheet/><more/>", "a second root element");
    xml_bad(NULL, "x<worksheet/>", "text outside the root element");
    xml_bad(NULL, "<worksheet>", "document ends inside an element");
    xml_bad(NULL, "   ", "no root element");
    xml_bad(NULL, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet/>", "only UTF-8");
    xml_bad(NULL, "<worksheet><!-- open </worksheet>", "unterminated comment");
    xml_bad(NULL, "<worksheet>\xff</worksheet>", "invalid UTF-8");
    xml_bad("<sst><si><si/></si></sst>", "<worksheet/>", "nested string item");
    /* Nesting is limited. */
    char deep[8 * 70 + 64];
    size_t n = 0;
    for (int i = 0; i < 70; i++)
        n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<a>");
    xml_bad(NULL, deep, "nested too deeply");
}

static void test_xlsx_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/tillit-test-sheet-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], bad[128];
    snprintf(path, sizeof(path), "%s/t.xlsx", dir);
    snprintf(bad, sizeof(bad), "%s/not.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "ref", NULL);
    worksheet_write_string(ws, 0, 1, "request", NULL);
    worksheet_write_string(ws, 1, 0, "PBC-001", NULL);
    worksheet_write_string(ws, 1, 1, "Lista \xc3\xb6ver \"nyanst\xc3\xa4llda\" & <chefer>\nrad 2",
                           NULL);
    worksheet_write_number(ws, 2, 0, 46203, NULL);
    worksheet_write_boolean(ws, 2, 2, 0, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    struct arena a = ARENA_INIT;
    struct sheet s;
    struct err e = ERR_INIT;
    assert_int_equal(sheet_read(&a, path, &s, &e), 0);
    assert_int_equal(s.n_rows, 3);
    assert_string_equal(sheet_cell(&s.rows[1], 1),
                        "Lista \xc3\xb6ver \"nyanst\xc3\xa4llda\" & <chefer>\nrad 2");
    assert_string_equal(sheet_cell(&s.rows[2], 0), "46203");
    assert_string_equal(sheet_cell(&s.rows[2], 2), "FALSE");
    /* A file that is not a zip archive, and one that does not exist. */
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("ref,request\n", f);
    fclose(f);
    assert_int_equal(sheet_read_xlsx(&a, bad, &s, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "is not an XLSX file"));
    char missing[160];
    snprintf(missing, sizeof(missing), "%s/missing.xlsx", dir);
    assert_int_equal(sheet_read(&a, missing, &s, &e), TL_ENOTFOUND);
    unlink(path);
    unlink(bad);
    rmdir(dir);
    arena_release(&a);
}

static void test_utf8_ok(void **state)
{
    (void)state;
    assert_true(sheet_utf8_ok("", 0));
    assert_true(sheet_utf8_ok("\xf0\x9f\x98\x80", 4));
    assert_false(sheet_utf8_ok("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(sheet_utf8_ok("\xe2\x82", 2));         /* truncated */
    assert_false(sheet_utf8_ok("a\0b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reads),      cmocka_unit_test(test_csv_refuses),
        cmocka_unit_test(test_xlsx_xml_reads), cmocka_unit_test(test_xlsx_xml_refuses),
        cmocka_unit_test(test_xlsx_file),      cmocka_unit_test(test_utf8_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
