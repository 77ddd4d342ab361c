/** The support matrix reads mappings' syntax trees: which constructor keys count as filled. */
import jsonata from 'jsonata'
import { describe, expect, it } from 'vitest'
import { filledFields } from '../../src/integrations/mapping-fields'

const fields = (expression: string) => [...filledFields(jsonata(expression).ast())].sort()

describe('filledFields', () => {
  it('counts the keys of a record constructor (an object with id and remote_data)', () => {
    expect(fields('response.data.{ "id": id, "name": name, "status": "active", "remote_data": $ }')).toEqual([
      'id',
      'name',
      'remote_data',
      'status',
    ])
  })

  it('leaves out keys whose value is the literal null, keeps conditionals that may be null', () => {
    const expr = '$.{ "id": id, "updated_at": null, "organization": $org ? { "id": $org.id } : null, "remote_data": $ }'
    expect(fields(expr)).toEqual(['id', 'organization', 'remote_data'])
  })

  it('does not take nested objects (roles, organization) for records', () => {
    const expr = '( $org := { "id": o.id, "name": o.name }; data.{ "id": id, "roles": [{ "id": role, "name": role }], "remote_data": $ } )'
    expect(fields(expr)).toEqual(['id', 'remote_data', 'roles'])
  })

  it('unions every record constructor (members and invitations) and finds them in any position', () => {
    const expr = `(
      $members := members.( $x := 1; { "id": user_id, "created_at": joined_at, "name": null, "remote_data": $ } );
      $invited := invitations.{ "id": id, "status": "invited", "remote_data": $ };
      $append($members, $invited)
    )`
    expect(fields(expr)).toEqual(['created_at', 'id', 'remote_data', 'status'])
  })

  it('reads the grouping form of a constructor too', () => {
    expect(fields('data{ "id": id, "email": email, "remote_data": $ }')).toEqual(['email', 'id', 'remote_data'])
  })

  it('finds nothing in a mapping without record constructors', () => {
    expect(fields('{ "startDate": 1, "endDate": 2 }')).toEqual([])
  })
})
