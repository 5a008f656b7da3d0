# Sourced (not executed: it has no execute bit) by the mysql image's entrypoint on its first start,
# after it created MYSQL_USER, so docker_process_sql is at hand: the four service databases, and
# that user's rights on them alone. The services' migrations would create the databases too, but
# only for a user allowed to create any database.
for lexy_service in auth files quotas relay; do
  docker_process_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`lexy_${lexy_service}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON \`lexy_${lexy_service}\`.* TO '${MYSQL_USER}'@'%';
SQL
done
unset lexy_service
