DROP TABLE space_photos;
ALTER TABLE spaces DROP COLUMN accessibility;
ALTER TABLE spaces DROP COLUMN equipment;
ALTER TABLE spaces DROP COLUMN description;
