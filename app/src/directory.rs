//! Shaping the flat list of open counters into what the public pages show.

use crate::views::{CounterLink, DepartmentGroup, HallGroup};
use crate::store::CounterRecord;

/// Groups rows (already sorted by hall, department, counter) into halls and departments.
pub fn group(rows: Vec<CounterRecord>) -> Vec<HallGroup> {
    let mut halls: Vec<HallGroup> = Vec::new();
    for row in rows {
        if halls.last().is_none_or(|h| h.code != row.hall_code) {
            halls.push(HallGroup {
                code: row.hall_code.clone(),
                name: row.hall.clone(),
                departments: Vec::new(),
            });
        }
        let hall = halls.last_mut().expect("pushed above");
        if hall
            .departments
            .last()
            .is_none_or(|d| d.code != row.department_code)
        {
            hall.departments.push(DepartmentGroup {
                code: row.department_code.clone(),
                name: row.department.clone(),
                counters: Vec::new(),
            });
        }
        let department = hall.departments.last_mut().expect("pushed above");
        department.counters.push(CounterLink {
            code: row.code,
            name: row.name,
        });
    }
    halls
}
