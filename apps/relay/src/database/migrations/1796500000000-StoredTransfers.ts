import type { MigrationInterface, QueryRunner } from 'typeorm';

// Store-and-forward (design.md § relay): a `stored` transfer offers files the sender already
// uploaded. Their ids go in the `files` JSON beside name and size, so the one change is the new
// mode; an enum value added at the end leaves every existing row as it is.
export class StoredTransfers1796500000000 implements MigrationInterface {
  name = 'StoredTransfers1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `transfers` MODIFY `mode` enum('relay','p2p','stored') NOT NULL");
  }

  // Refused (strict mode) while any stored transfer exists, rather than rewriting its history.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `transfers` MODIFY `mode` enum('relay','p2p') NOT NULL");
  }
}
