-- A hub's floor plan (issue 16): the SVG drawing staff upload, kept as the sanitiser wrote it
-- (service::floor_plan_svg: an allow-list of drawing elements, no scripts, no outside
-- references), never the upload itself. It is served only as an image, under a content-hash
-- address cached for a year. `width` and `height` are the drawing's proportions (from its
-- viewBox), which the pages need to lay the spaces over it. One plan per hub.
CREATE TABLE floor_plans (
    hub_id TEXT PRIMARY KEY NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    svg TEXT NOT NULL,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    content_hash TEXT NOT NULL,
    alt_de TEXT NOT NULL CHECK (alt_de <> ''),
    alt_en TEXT,
    updated_at TIMESTAMP NOT NULL
);

-- Where a space sits on its hub's plan, in thousandths of the plan's width and height from the
-- top left corner (a form with coordinates places it; no drawing editor). A space without a
-- row is not on the plan; the spots stay when a plan is replaced, so a redrawn plan of the same
-- rooms keeps them.
CREATE TABLE floor_plan_spots (
    space_id TEXT PRIMARY KEY NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    x INTEGER NOT NULL CHECK (x BETWEEN 0 AND 1000),
    y INTEGER NOT NULL CHECK (y BETWEEN 0 AND 1000)
);
