#include "adapters/script_mozjs/helper/startup_blobs.hpp"

// Defined in startup_blobs.S: the bytes of self_hosted.cache, faker.stencil and prelude.stencil.
extern "C" const std::uint8_t flow_startup_self_hosted_start[];
extern "C" const std::uint8_t flow_startup_self_hosted_end[];
extern "C" const std::uint8_t flow_startup_faker_stencil_start[];
extern "C" const std::uint8_t flow_startup_faker_stencil_end[];
extern "C" const std::uint8_t flow_startup_prelude_stencil_start[];
extern "C" const std::uint8_t flow_startup_prelude_stencil_end[];

namespace flow::adapters::sandbox {

StartupBlobs EmbeddedStartupBlobs() {
  const auto span = [](const std::uint8_t* start, const std::uint8_t* end) {
    return std::span<const std::uint8_t>(start, static_cast<std::size_t>(end - start));
  };
  return {.self_hosted = span(flow_startup_self_hosted_start, flow_startup_self_hosted_end),
          .faker_stencil = span(flow_startup_faker_stencil_start, flow_startup_faker_stencil_end),
          .prelude_stencil =
              span(flow_startup_prelude_stencil_start, flow_startup_prelude_stencil_end)};
}

}  // namespace flow::adapters::sandbox
