#ifndef SIGHTLINE_CPOPPLER_SHIM_H
#define SIGHTLINE_CPOPPLER_SHIM_H
#include <glib.h>
#include <glib-object.h>
#include <poppler.h>

/// GLib's g_free is a macro-free function, but keep the unref/free calls in
/// one place so Swift code never needs GLib's casting macros.
static inline void sightline_g_object_unref(void *object) { g_object_unref(object); }
static inline void sightline_g_free(void *memory) { g_free(memory); }
#endif
