// Symbol visibility: the one export macro. Everything public is marked
// DEALSTAT_API; the rest of the library stays hidden in a shared build.
#pragma once

#if defined(DEALSTAT_STATIC_DEFINE)
#define DEALSTAT_API
#elif defined(_WIN32)
#ifdef DEALSTAT_BUILDING
#define DEALSTAT_API __declspec(dllexport)
#else
#define DEALSTAT_API __declspec(dllimport)
#endif
#else
#define DEALSTAT_API __attribute__((visibility("default")))
#endif
