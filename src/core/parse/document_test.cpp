// Document lookups, JSON pointers and ParseDocument's own checks.
#include "core/parse/document.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/parse/parse_test_support.hpp"

namespace flow::core {
namespace {

using testing::At;
using testing::MustFail;
using testing::MustLoad;

Document Sample() {
  Document doc;
  doc.file = "s.yaml";
  doc.value_spans[""] = SourceSpan{"s.yaml", 1, 1, 1};
  doc.value_spans["/steps"] = SourceSpan{"s.yaml", 2, 3, 1};
  doc.value_spans["/steps/0/name"] = SourceSpan{"s.yaml", 3, 11, 4};
  doc.key_spans["/steps"] = SourceSpan{"s.yaml", 1, 1, 5};
  doc.key_spans["/steps/0/name"] = SourceSpan{"s.yaml", 3, 5, 4};
  return doc;
}

TEST(Document, WhereValueFindsTheExactPointer) {
  EXPECT_EQ(At(Sample().WhereValue("/steps/0/name")), "3:11/4");
  EXPECT_EQ(At(Sample().WhereValue("/steps")), "2:3/1");
}

TEST(Document, WhereValueFallsBackToTheNearestAncestor) {
  const Document doc = Sample();
  EXPECT_EQ(At(doc.WhereValue("/steps/0")), "2:3/1");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/request/url")), "2:3/1");
  EXPECT_EQ(At(doc.WhereValue("/other/deep")), "1:1/1");
}

TEST(Document, WhereValueWithoutAnySpanIsTheFileAlone) {
  Document doc;
  doc.file = "empty.yaml";
  const SourceSpan span = doc.WhereValue("/x");
  EXPECT_EQ(span.file, "empty.yaml");
  EXPECT_FALSE(span.IsKnown());
  EXPECT_EQ(span.column, 0);
}

TEST(Document, WhereKeyPrefersTheKeyAndFallsBackToTheValue) {
  const Document doc = Sample();
  EXPECT_EQ(At(doc.WhereKey("/steps/0/name")), "3:5/4");
  EXPECT_EQ(At(doc.WhereKey("/steps/0")), "2:3/1");
  EXPECT_EQ(At(doc.WhereKey("/steps/0/missing")), "2:3/1");
}

TEST(ParseDocument, TooLargeTextIsRefused) {
  const std::string text(kMaxDocumentBytes + 1, ' ');
  const Error error = MustFail(text);
  EXPECT_EQ(error.reason, "too-large");
  EXPECT_EQ(error.message, "the file is larger than 64 MiB");
  ASSERT_TRUE(error.where.has_value());
  EXPECT_EQ(error.where->file, "suite.yaml");
}

TEST(ParseDocument, ChoosesTheJsonReaderByExtensionOnly) {
  // Valid YAML, invalid JSON.
  EXPECT_EQ(MustFail("{a: 1}", "x.json").reason, "syntax");
  EXPECT_EQ(MustLoad("{a: 1}", "x.yml").root.dump(), R"({"a":1})");
  EXPECT_EQ(MustLoad("{\"a\": 1}", "x.yaml").root.dump(), R"({"a":1})");
  EXPECT_EQ(MustLoad("{\"a\": 1}", "").root.dump(), R"({"a":1})");
}

}  // namespace
}  // namespace flow::core
