DROP TABLE booking_series_dates;
DROP TABLE booking_series;
