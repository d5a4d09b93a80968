DROP TABLE secret_check;
