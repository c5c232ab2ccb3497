-- 0015: the documents picked in the on-behalf wizard kept with its draft (issue 11).
-- Never edit once landed: add a new numbered file instead.
--
-- A photo or a scan the clerk picked (R-23) lived only in the window's memory: after a
-- restart the draft asked for every file again. The bytes that were checked when picked
-- (an image already made to fit 1 MB) are kept here, in the encrypted journal, under
-- the handle the draft names, until the submission, the draft's discard, or the draft
-- no longer naming them.
CREATE TABLE draft_document (
    clerk_iin          TEXT NOT NULL,
    handle             TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    content            BLOB NOT NULL,
    reduced_from       INTEGER,          -- the size it was picked at, when made to fit
    readable_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (readable_confirmed IN (0, 1)),
    created_at         TEXT NOT NULL,
    PRIMARY KEY (clerk_iin, handle)
) STRICT;
