"""Requirements and staffing targets of job roles and units, with what is inherited."""
