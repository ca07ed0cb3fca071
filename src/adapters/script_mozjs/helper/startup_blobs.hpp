// The start-up caches embedded in the helper (startup_blobs.S, generated from startup_blobs.S.in
// by CMake): the files flow_sandbox_startup_gen wrote at build time, as read-only data. Check them
// with OpenStartupBlob() before any use (startup_cache.hpp).
#pragma once

#include "adapters/script_mozjs/helper/startup_cache.hpp"

namespace flow::adapters::sandbox {

StartupBlobs EmbeddedStartupBlobs();

}  // namespace flow::adapters::sandbox
