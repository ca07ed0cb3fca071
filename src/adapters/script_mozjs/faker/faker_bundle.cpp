#include "adapters/script_mozjs/faker/faker_bundle.hpp"

// Defined in faker_blob.S (generated from faker_blob.S.in): the bytes of faker.bundle.js.
extern "C" const char flow_faker_bundle_start[];
extern "C" const char flow_faker_bundle_end[];

namespace flow::adapters::sandbox {

std::string_view FakerBundleSource() {
  return {flow_faker_bundle_start,
          static_cast<std::size_t>(flow_faker_bundle_end - flow_faker_bundle_start)};
}

std::string_view FakerVersion() { return FLOW_FAKER_VERSION; }

}  // namespace flow::adapters::sandbox
