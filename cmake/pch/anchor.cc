// The one source of the targets that hold a precompiled header (cmake/precompiled_headers.cmake).
