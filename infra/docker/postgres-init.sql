-- The simulated UH database and each service's own database, side by side for local use.
CREATE DATABASE uh;
CREATE DATABASE uh_gateway;
CREATE DATABASE income_api;
