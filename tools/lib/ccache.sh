# Sourced by tools/test, tools/up and tools/bench (from the repository root): ccache's settings and
# the CMake arguments that use it, in the array `launcher`.
# ccache is used only where its cache directory already exists (mkdir -p .cache/ccache to have
# one): on a fresh machine, as in CI, every compile misses, and hashing and preprocessing for the
# cache made each one a tenth to a third slower.
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
export CCACHE_BASEDIR="$PWD"
# ccache caches sources compiled against a precompiled header (cmake/precompiled_headers.cmake)
# only with these: the header's macros and timestamps are hashed through its contents instead.
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
launcher=()
if [ -d "$CCACHE_DIR" ]; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
