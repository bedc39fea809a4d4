-- Establishments from the Handelsregister per wijk, with their registration and closing dates.
--
-- Why per wijk and not per buurt: the Handelsregister lands in the linking domain economie, so its
-- verblijfsobject_id is pseudonymised with another key than the BAG's (basis). The only declared
-- link between economie and basis is approved for ondermijning (VIK); using it for the kadernota
-- would be processing for another purpose than the FG approved (AVG art. 5(1)(b)), and the
-- eenmanszaken in this register are personal data. So this model uses only what the source itself
-- carries: the postcode, which lands generalised to PC4, placed in a wijk by the area lookup
-- pc4_wijk (no identifiers are joined). A PC4 does not fit the buurten, so there is no buurt here;
-- the indicators on this model use area: wijkcode, and their buurt values are not applicable. An
-- establishment without a postcode, or with one outside the municipality, has no wijk and counts
-- in no area (the check on this model warns).
select
  p.wijkcode,
  v.postcode as pc4,
  substr(v.sbi_code, 1, 2) as sbi_afdeling,
  v.datum_inschrijving,
  v.datum_opheffing
from ref('vestigingen') v
left join ref('pc4_wijk') p on p.pc4 = v.postcode
