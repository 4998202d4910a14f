#ifndef SIGHTLINE_CLIBXML2_SHIM_H
#define SIGHTLINE_CLIBXML2_SHIM_H
/* libxml2's headers pull in the system ICU when it was built with ICU, which
   clashes with Foundation's own ICU: switch that part off before including. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/// `xmlFree` is a global function pointer, which Swift 6 will not touch.
static inline void sightline_xml_free(void *memory) { xmlFree(memory); }

/// The libxml2 version the build compiled against, e.g. "2.9.14".
static inline const char *sightline_xml_version(void) { return LIBXML_DOTTED_VERSION; }
#endif
