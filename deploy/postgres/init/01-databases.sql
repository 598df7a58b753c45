-- A database per service, and the web client's (docker-compose runs this once, on an empty data
-- volume). Each service's `migrate` (and `canopy web migrate`) also creates its own database when
-- missing; listing them here keeps the shape visible. Adding a service: add its line.
CREATE DATABASE canopy_identity;
CREATE DATABASE canopy_observation;
CREATE DATABASE canopy_portfolio;
CREATE DATABASE canopy_reporting;
CREATE DATABASE canopy_web;
