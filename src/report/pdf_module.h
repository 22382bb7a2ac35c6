/* pdf_module.h - the entry point of the PDF module (tillit-pdf.so).
 *
 * The PDF renderer (render_pdf.c, on cairo and pango) is built as a module
 * that rpt_render_pdf() loads with dlopen() the first time a PDF is asked
 * for.  Where it looks, in order: $TILLIT_PDF_MODULE (a path), the
 * directory of the running executable, its parent (test and benchmark
 * programs live one level below the build directory), and
 * <exe>/../lib/tillit (an installation).
 */
#ifndef TL_PDF_MODULE_H
#define TL_PDF_MODULE_H

#include "report/doc.h"

#define TILLIT_PDF_MODULE_FILE "tillit-pdf.so"
#define TILLIT_PDF_MODULE_SYMBOL "tillit_pdf_render"

/** The module's renderer: what rpt_render_pdf() calls (doc.h). */
int tillit_pdf_render(const struct rpt_doc *d, struct sb *out, struct err *e);

#endif
