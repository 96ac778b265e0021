// A tiny program built against an installed (or add_subdirectory'd) dealstat:
// builds a two-deal dataset and prints what it holds.
#include <cstdio>

#include <dealstat/core/version.hpp>
#include <dealstat/data/dataset_builder.hpp>

int main() {
  using namespace dealstat;
  DatasetBuilder b;
  b.add_pipeline({PipelineId{1}, "Sales"});
  b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 10000, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 10001, StageKind::lost});
  DealRow d1;
  d1.id = DealId{1};
  d1.pipeline = PipelineId{1};
  d1.stage = StageId{10};
  d1.created_at = Timestamp{1700000000};
  b.add_deal(d1);
  DealRow d2 = d1;
  d2.id = DealId{2};
  d2.stage = StageId{142};
  d2.closed_at = Timestamp{1700086400};
  b.add_deal(d2);
  auto result = std::move(b).build();
  std::printf("dealstat %s: %zu deals, %zu stages, %zu path entries\n", version_string(),
              result.dataset->deals().size(), result.dataset->stages().size(), result.dataset->paths().entries());
  return result.dataset->deals().size() == 2 && result.dataset->paths().entries() == 2 ? 0 : 1;
}
