DROP TABLE booking_purposes;
DROP TABLE spaces_asking_purpose;
DROP TABLE house_rule_acceptances;
DROP TABLE house_rules;
