#include "core/input/input_conversion.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

Value Convert(InputType type, const Value& answer, const std::vector<InputOption>& options = {}) {
  Result<Value> v = ConvertInputValue(type, answer, options);
  EXPECT_TRUE(v.has_value()) << (v ? "" : v.error().message);
  return v ? *v : Value("<error>");
}

std::string ErrorOf(InputType type, const Value& answer,
                    const std::vector<InputOption>& options = {}) {
  Result<Value> v = ConvertInputValue(type, answer, options);
  if (v) return "<no error>";
  EXPECT_EQ(v.error().reason, "invalid-answer");
  return v.error().message;
}

TEST(ConvertInputValue, TextTypesKeepStringsAndWriteScalars) {
  for (InputType type : {InputType::kText, InputType::kPassword, InputType::kMultiline}) {
    EXPECT_EQ(Convert(type, " a b "), " a b ");
    EXPECT_EQ(Convert(type, 25), "25");
    EXPECT_EQ(Convert(type, 2.5), "2.5");
    EXPECT_EQ(Convert(type, true), "true");
  }
  EXPECT_EQ(Convert(InputType::kMultiline, "line 1\nline 2"), "line 1\nline 2");
  EXPECT_EQ(ErrorOf(InputType::kText, Value::array()),
            "expected text for a 'text' input, got array");
}

TEST(ConvertInputValue, NumbersAreParsedStrictly) {
  EXPECT_EQ(Convert(InputType::kNumber, "42"), 42);
  EXPECT_TRUE(Convert(InputType::kNumber, "42").is_number_integer());
  EXPECT_EQ(Convert(InputType::kNumber, " -1.5 "), -1.5);
  EXPECT_EQ(Convert(InputType::kNumber, "+7"), 7);
  EXPECT_EQ(Convert(InputType::kNumber, "1e3"), 1000.0);
  EXPECT_EQ(Convert(InputType::kNumber, ".5"), 0.5);
  EXPECT_EQ(Convert(InputType::kNumber, 3.25), 3.25);
  EXPECT_EQ(Convert(InputType::kNumber, "99999999999999999999"), 1e20);
  EXPECT_EQ(ErrorOf(InputType::kNumber, "abc"), "expected a number, got 'abc'");
  EXPECT_EQ(ErrorOf(InputType::kNumber, "0x10"), "expected a number, got '0x10'");
  EXPECT_EQ(ErrorOf(InputType::kNumber, "1e999"), "expected a number, got '1e999' (out of range)");
  EXPECT_EQ(ErrorOf(InputType::kNumber, "Infinity"), "expected a number, got 'Infinity'");
  EXPECT_EQ(ErrorOf(InputType::kNumber, true), "expected a number, got boolean true");
}

TEST(ConvertInputValue, ConfirmUnderstandsYesAndNo) {
  EXPECT_EQ(Convert(InputType::kConfirm, "false"), false);  // the original said true
  EXPECT_EQ(Convert(InputType::kConfirm, "OFF"), false);
  EXPECT_EQ(Convert(InputType::kConfirm, "Y"), true);
  EXPECT_EQ(Convert(InputType::kConfirm, 0), false);
  EXPECT_EQ(Convert(InputType::kConfirm, 1), true);
  EXPECT_EQ(Convert(InputType::kConfirm, true), true);
  EXPECT_EQ(ErrorOf(InputType::kConfirm, "maybe"),
            "expected yes or no (y/n, true/false), got 'maybe'");
  EXPECT_EQ(ErrorOf(InputType::kConfirm, 2), "expected yes or no (y/n, true/false), got 2");
}

TEST(ConvertInputValue, SelectMatchesValueThenTextThenNumberThenLabel) {
  const std::vector<InputOption> options = {{0, "Nerivaldo"}, {1, "Hermes"}, {2, "Donizetti"}};
  EXPECT_EQ(Convert(InputType::kSelect, 2, options), 2);
  EXPECT_EQ(Convert(InputType::kSelect, "2", options), 2);  // a value's text before a number
  EXPECT_EQ(Convert(InputType::kSelect, "hermes", options), 1);
  const std::vector<InputOption> words = {{"a", "Alpha"}, {"b", "Beta"}};
  EXPECT_EQ(Convert(InputType::kSelect, "2", words), "b");
  EXPECT_EQ(Convert(InputType::kSelect, " BETA ", words), "b");
  EXPECT_EQ(ErrorOf(InputType::kSelect, "3", words),
            "'3' is not one of the options: 'a', 'b' (or 1-2)");
  EXPECT_EQ(ErrorOf(InputType::kSelect, "x", {}), "there are no options to choose from");
  const std::vector<InputOption> objects = {{Value({{"id", 1}}), "One"}};
  EXPECT_EQ(Convert(InputType::kSelect, "1", objects), Value({{"id", 1}}));
}

TEST(ConvertInputValue, EmailAndUrlFormats) {
  EXPECT_TRUE(IsValidEmail("John.Doe@Example.COM"));
  EXPECT_TRUE(IsValidEmail("a@b.co"));
  EXPECT_FALSE(IsValidEmail("a@b"));
  EXPECT_FALSE(IsValidEmail("a b@c.d"));
  EXPECT_FALSE(IsValidEmail("a@@b.c"));
  EXPECT_FALSE(IsValidEmail("@b.c"));
  EXPECT_FALSE(IsValidEmail("a@b."));
  EXPECT_TRUE(IsValidUrl("https://example.com"));
  EXPECT_TRUE(IsValidUrl("http://user@host:8080/p?q#f"));
  EXPECT_TRUE(IsValidUrl("http://[::1]:80/"));
  EXPECT_TRUE(IsValidUrl("mailto:a@b.c"));
  EXPECT_FALSE(IsValidUrl("example.com"));
  EXPECT_FALSE(IsValidUrl("https://"));
  EXPECT_FALSE(IsValidUrl("https:example.com"));
  EXPECT_FALSE(IsValidUrl("http://a b"));
  EXPECT_FALSE(IsValidUrl("1http://a"));
  EXPECT_EQ(ErrorOf(InputType::kEmail, "nope"), "invalid email address 'nope'");
  EXPECT_EQ(ErrorOf(InputType::kUrl, "nope"),
            "invalid url 'nope' (expected an absolute url such as https://host/path)");
}

}  // namespace
}  // namespace flow::core
