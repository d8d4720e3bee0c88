// proj.h for coordinate transformations; geodesic.h for Karney's geodesic
// algorithms, the same ones PostGIS uses for geography distances and lengths.
#include <proj.h>
#include <geodesic.h>
