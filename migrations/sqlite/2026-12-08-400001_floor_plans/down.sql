DROP TABLE floor_plan_spots;
DROP TABLE floor_plans;
