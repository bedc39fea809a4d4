-- The year ends (31 December) on which the snapshot models count households and dwellings: from
-- 2019, the first year of the kadernota series and of the BRP history, up to the latest year in
-- which the BRP registered a move.
with recursive jaren (jaar) as (
  select 2019
  union all
  select jaar + 1
  from jaren
  where jaar < (select max(extract(year from datum_vestiging)) from ref('personen'))
)
select jaar, make_date(jaar, 12, 31) as peildatum
from jaren
