import { EntitySchema } from 'typeorm';

export interface UserEntity {
  id: string;
  groupName: string;
  email: string | null;
  /** argon2id (PHC string); null for anonymous users. */
  passwordHash: string | null;
  displayName: string | null;
  /** SHA-256 hex of the client's device fingerprint; the raw value is never stored. */
  fingerprintHash: string | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export const UserSchema = new EntitySchema<UserEntity>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    groupName: { name: 'group_name', type: 'varchar', length: 32 },
    email: { type: 'varchar', length: 320, nullable: true, unique: true },
    passwordHash: { name: 'password_hash', type: 'varchar', length: 255, nullable: true },
    displayName: { name: 'display_name', type: 'varchar', length: 100, nullable: true },
    fingerprintHash: { name: 'fingerprint_hash', type: 'char', length: 64, nullable: true },
    disabledAt: { name: 'disabled_at', type: 'datetime', precision: 3, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
