-- Where staff want a space in the member lists (the day view, the console's spaces page): lower
-- numbers first. Spaces with the same number keep the natural order by kind and name
-- ("Arbeitsplatz 2" before "Arbeitsplatz 10"), so 0 for every existing space changes nothing.
ALTER TABLE spaces ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
