-- The simulated UH database and the gateway's own database, side by side for local use.
CREATE DATABASE uh;
CREATE DATABASE uh_gateway;
