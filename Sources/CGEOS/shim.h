// Only the reentrant (_r) API: every call names its own context, so a handle
// is never shared between threads by accident.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
