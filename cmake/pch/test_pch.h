// Precompiled for the test and benchmark binaries (cmake/precompiled_headers.cmake).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pch.h"
