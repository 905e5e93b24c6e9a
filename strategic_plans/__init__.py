"""Strategic plans, objectives, outcomes, indicators, programme and budget per biennium,
targets (also by region), outcome resources and strategy elements."""
