// ParseDocument never crashes or hangs: random bytes, YAML-ish noise, huge and deep inputs.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/parse/document.hpp"
#include "core/parse/parse_test_support.hpp"

namespace flow::core {
namespace {

using testing::MustLoad;

// Every failure is an Error located in the file, with a message.
void ExpectLoadsOrFailsCleanly(const std::string& text, const std::string& file) {
  const Result<Document> result = ParseDocument(text, file);
  if (result) return;
  EXPECT_FALSE(result.error().message.empty());
  EXPECT_FALSE(result.error().reason.empty());
  ASSERT_TRUE(result.error().where.has_value());
  EXPECT_EQ(result.error().where->file, file);
  EXPECT_GE(result.error().where->line, 1) << result.error().message;
  EXPECT_GE(result.error().where->column, 1) << result.error().message;
}

std::string RandomText(std::mt19937& random, std::string_view alphabet, std::size_t max_length) {
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string text(length(random), ' ');
  for (char& c : text) c = alphabet[pick(random)];
  return text;
}

TEST(ParseRobustness, RandomBytesNeverCrash) {
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  for (int i = 0; i < 2000; ++i) {
    std::string text(length(random), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    ExpectLoadsOrFailsCleanly(text, "random.yaml");
    ExpectLoadsOrFailsCleanly(text, "random.json");
  }
}

TEST(ParseRobustness, YamlPunctuationSoupNeverCrashes) {
  constexpr std::string_view kAlphabet = "[]{}:,-?!&*|>'\"#%@`~. \n\n\t  ab01<\\";
  std::mt19937 random(7);
  for (int i = 0; i < 20000; ++i) {
    ExpectLoadsOrFailsCleanly(RandomText(random, kAlphabet, 60), "soup.yaml");
  }
}

TEST(ParseRobustness, StructuredYamlMutationsNeverCrash) {
  const std::string seed =
      "base: &b {x: 1, y: [1, 2]}\n"
      "steps:\n"
      "  - name: \"one\"\n"
      "    <<: *b\n"
      "    request: {method: GET, url: '/a'}\n"
      "    text: |\n"
      "      line\n"
      "  - ? key\n"
      "    : value\n";
  constexpr std::string_view kAlphabet = "[]{}:,-?&*|>'\"# \n\tab<";
  std::mt19937 random(11);
  std::uniform_int_distribution<std::size_t> position(0, seed.size() - 1);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  for (int i = 0; i < 5000; ++i) {
    std::string text = seed;
    for (int edits = 0; edits < 3; ++edits) text[position(random)] = kAlphabet[pick(random)];
    ExpectLoadsOrFailsCleanly(text, "mutated.yaml");
  }
}

TEST(ParseRobustness, JsonPunctuationSoupNeverCrashes) {
  constexpr std::string_view kAlphabet = "[]{}:,\"\\u0e1-.+ tfn \n";
  std::mt19937 random(13);
  for (int i = 0; i < 20000; ++i) {
    ExpectLoadsOrFailsCleanly(RandomText(random, kAlphabet, 60), "soup.json");
  }
}

std::string Repeat(std::string_view part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

TEST(ParseRobustness, DeepInputsInBothFormatsAreErrors) {
  for (const char* file : {"deep.yaml", "deep.json"}) {
    for (const std::string& text :
         {std::string(10000, '['), std::string(10000, '[') + "1" + std::string(10000, ']'),
          Repeat("{\"a\": ", 100000), Repeat("[{\"a\": ", 5000)}) {
      const Result<Document> result = ParseDocument(text, file);
      ASSERT_FALSE(result.has_value()) << file;
      EXPECT_EQ(result.error().reason, "too-deep") << file << " " << text.substr(0, 20);
    }
  }
  const Result<Document> braces = ParseDocument(std::string(100000, '{'), "deep.yaml");
  ASSERT_FALSE(braces.has_value());
  EXPECT_EQ(braces.error().reason, "too-deep");
}

std::string LargeSuite(std::size_t bytes) {
  std::string text = "suite_name: large\nsteps:\n";
  for (int i = 0; text.size() < bytes; ++i) {
    const std::string n = std::to_string(i);
    text += "  - name: step " + n + "\n" +
            "    request:\n"
            "      method: GET\n"
            "      url: \"{{base}}/get?x=" +
            n + "\"\n" + "      headers: {Accept: application/json, X-Id: '" + n + "'}\n" +
            "    assert:\n"
            "      status_code: 200\n"
            "      body: [1, 2.5, true, null]\n";
  }
  return text;
}

// Large inputs load completely and correctly. (Their speed is measured by a benchmark, not here:
// unit tests do not time things.)
TEST(ParseRobustness, AOneMegabyteSuiteLoads) {
  const std::string text = LargeSuite(1 << 20);
  const Document doc = MustLoad(text);
  ASSERT_TRUE(doc.root["steps"].is_array());
  const std::size_t steps = doc.root["steps"].size();
  EXPECT_GT(steps, 4000u);
  EXPECT_EQ(doc.root["steps"][steps - 1]["request"]["headers"]["X-Id"], std::to_string(steps - 1));
  EXPECT_TRUE(doc.value_spans.count("/steps/" + std::to_string(steps - 1) + "/assert/body/3"));
}

TEST(ParseRobustness, AOneMegabyteJsonFileLoads) {
  std::string text = "[";
  for (int i = 0; text.size() < (1 << 20); ++i) {
    text += (i ? "," : "") + std::string("{\"id\": ") + std::to_string(i) +
            ", \"name\": \"item\", \"tags\": [1, 2.5, true, null]}";
  }
  text += "]";
  const Document doc = MustLoad(text, "big.json");
  EXPECT_GT(doc.root.size(), 10000u);
}

TEST(ParseRobustness, AMappingWithManyKeysLoads) {
  std::string text;
  for (int i = 0; i < 50000; ++i)
    text += "key" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  const Document doc = MustLoad(text);
  EXPECT_EQ(doc.root.size(), 50000u);
  EXPECT_EQ(doc.root["key49999"], 49999);
}

}  // namespace
}  // namespace flow::core
